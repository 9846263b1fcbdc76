namespace GraphDL.IR.Ops;

/// <summary>
/// The same elements in row-major order under another static <c>shape</c> with the same element count (the DSL
/// resolves <c>-1</c>; the IR holds the full shape).
/// <code>%1 = reshape(%0) {shape=[2,6]} : f32[2,6]</code>
/// </summary>
public sealed class Reshape : MovementOp
{
    public static readonly Reshape Instance = new();

    public override string Name => "reshape";

    public override OpTraits Traits => OpTraits.Movement | OpTraits.View;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } = [AttrSpec.Required("shape", AttrKind.IntList)];

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        var shape = MovementChecks.ShapeAttribute(context, "shape");
        if (shape.ElementCount != x.ElementCount)
        {
            throw context.Error($"cannot reshape {x} ({x.ElementCount} elements) to shape={shape} ({shape.ElementCount} elements)");
        }
        return x.WithShape(shape);
    }

    public override HostTensor Evaluate(EvalContext context) => context[0].Select(context.Result.Shape, i => i);

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>The cotangent reshaped back to the operand's shape.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
        [builder.Reshape(cotangent, node.Operands[0].Type.Shape)];

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t ? builder.Emit(this, [t], node.Attributes) : null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>reshape(x) {shape=...}</c>.</summary>
    public static Node Reshape(this GraphBuilder builder, Value x, IReadOnlyList<int> shape) =>
        builder.Emit(Ops.Reshape.Instance, [x], AttributeMap.Of(("shape", new IntListAttr(shape))));
}
