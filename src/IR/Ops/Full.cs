namespace GraphDL.IR.Ops;

/// <summary>
/// A tensor of the given <c>shape</c> with every element equal to the <c>value</c> attribute; the result dtype is the
/// scalar's dtype (any dtype, bool included; NaN and infinities kept).
/// <code>%0 = full() {shape=[2,3], value=0.5} : f32[2,3]</code>
/// </summary>
public sealed class Full : OpDef
{
    public static readonly Full Instance = new();

    public override string Name => "full";

    public override OpTraits Traits => OpTraits.Creation;

    public override int MinOperands => 0;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("shape", AttrKind.IntList),
        AttrSpec.Required("value", AttrKind.Scalar),
    ];

    public override TensorType InferType(OpContext context) =>
        new(context.Attributes.Scalar("value").DType, ShapeAttributes.Read(context, "shape"));

    public override HostTensor Evaluate(EvalContext context)
    {
        var value = context.Attributes.Scalar("value");
        var result = context.Result;
        // Copy the scalar's own element, so every dtype (i64 beyond 2^53 included) is exact.
        var scalar = HostTensor.FromScalar(value);
        return scalar.Select(result.Shape, _ => 0);
    }

    /// <summary>No arithmetic and nothing to read; writes the result once.</summary>
    public override OpCost Cost(OpContext context) => new(0, 0, context.Result.SizeInBytes);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>full() {shape, value}</c>; the result dtype is <paramref name="value"/>'s.</summary>
    public static Node Full(this GraphBuilder builder, int[] shape, Scalar value) =>
        builder.Emit(Ops.Full.Instance, [], AttributeMap.Of(("shape", new IntListAttr(shape)), ("value", new ScalarAttr(value))));
}
