namespace GraphDL.IR.Ops;

/// <summary>
/// Sum over the <c>axes</c> (strictly increasing; empty copies the operand), dropping them or, with <c>keepdims</c>,
/// keeping them as size 1. Floats are summed in double in row-major order and rounded once to the dtype; integers are
/// summed in long and wrap. An empty sum is 0.
/// <code>%1 = reduce_sum(%0) {axes=[1], keepdims=false} : f32[4]</code>
/// </summary>
public sealed class ReduceSum : ReductionOp
{
    public static readonly ReduceSum Instance = new();

    public override string Name => "reduce_sum";

    public override BinaryElementwiseOp Combiner => Add.Instance;

    protected override double FloatIdentity => 0.0;

    protected override long IntegerIdentity(DType dtype) => 0;

    protected override double CombineFloat(double accumulator, double value) => accumulator + value;

    protected override long CombineInteger(long accumulator, long value) => unchecked(accumulator + value);

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>Every summed element receives the cotangent: reshape it to keep the reduced axes as 1, then broadcast.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        var operand = node.Operands[0].Type.Shape;
        var axes = node.Attributes.Ints("axes");
        var kept = Enumerable.Range(0, operand.Rank).Select(a => axes.Contains(a) ? 1 : operand[a]).ToArray();
        Value shaped = cotangent.Type.Shape.AsSpan().SequenceEqual(kept) ? cotangent : builder.Reshape(cotangent, kept);
        return [builder.BroadcastInDim(shaped, operand.ToArray(), Enumerable.Range(0, operand.Rank).ToArray())];
    }

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t ? builder.Emit(this, [t], node.Attributes) : null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>reduce_sum(x) {axes=..., keepdims=...}</c>.</summary>
    public static Node ReduceSum(this GraphBuilder builder, Value x, IReadOnlyList<int> axes, bool keepdims = false) =>
        builder.Emit(Ops.ReduceSum.Instance, [x], AttributeMap.Of(("axes", new IntListAttr(axes)), ("keepdims", new BoolAttr(keepdims))));
}
