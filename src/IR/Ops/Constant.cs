namespace GraphDL.IR.Ops;

/// <summary>
/// A tensor literal: takes no operands and yields its <c>value</c> attribute, whose type is the result type (any dtype
/// and shape, rank 0 and empty included). Non-finite floats are kept exactly.
/// <code>%0 = constant() {value=[[1.0, 2.0], [3.0, 4.0]]} : f32[2,2]</code>
/// </summary>
public sealed class Constant : OpDef
{
    public static readonly Constant Instance = new();

    public override string Name => "constant";

    public override OpTraits Traits => OpTraits.Creation;

    public override int MinOperands => 0;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } = [AttrSpec.Required("value", AttrKind.Tensor)];

    public override TensorType InferType(OpContext context) => context.Attributes.Tensor("value").Type;

    /// <summary>The value itself (host tensors are immutable, so it is shared, not copied).</summary>
    public override HostTensor Evaluate(EvalContext context) => context.Attributes.Tensor("value");

    /// <summary>No arithmetic and nothing to read; writes the result once.</summary>
    public override OpCost Cost(OpContext context) => new(0, 0, context.Result.SizeInBytes);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>constant() {value}</c>.</summary>
    public static Node Constant(this GraphBuilder builder, HostTensor value) =>
        builder.Emit(Ops.Constant.Instance, [], AttributeMap.Of(("value", new TensorAttr(value))));
}
