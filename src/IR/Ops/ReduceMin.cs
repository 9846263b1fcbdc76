namespace GraphDL.IR.Ops;

/// <summary>
/// Minimum over the <c>axes</c> (strictly increasing; empty copies the operand), dropping them or, with
/// <c>keepdims</c>, keeping them as size 1. NaN propagates (any NaN among the reduced elements gives NaN); −0.0 &lt;
/// +0.0 as in <c>min</c>. The minimum of an empty set is +inf for floats and the dtype's greatest value for integers.
/// <code>%1 = reduce_min(%0) {axes=[1], keepdims=false} : i32[4]</code>
/// </summary>
public sealed class ReduceMin : ReductionOp
{
    public static readonly ReduceMin Instance = new();

    public override string Name => "reduce_min";

    public override BinaryElementwiseOp Combiner => Min.Instance;

    protected override double FloatIdentity => double.PositiveInfinity;

    protected override long IntegerIdentity(DType dtype) => dtype == DType.I32 ? int.MaxValue : long.MaxValue;

    protected override double CombineFloat(double accumulator, double value) => Math.Min(accumulator, value);

    protected override long CombineInteger(long accumulator, long value) => Math.Min(accumulator, value);

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>The cotangent goes to the elements equal to the minimum, divided equally among ties (see <see cref="ReductionExtremum"/>).</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) => [ReductionExtremum.Vjp(builder, node, cotangent)];

    /// <summary>The mean of the tangent over the elements equal to the minimum.</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) => ReductionExtremum.Jvp(builder, node, tangents[0]);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>reduce_min(x) {axes=..., keepdims=...}</c>.</summary>
    public static Node ReduceMin(this GraphBuilder builder, Value x, IReadOnlyList<int> axes, bool keepdims = false) =>
        builder.Emit(Ops.ReduceMin.Instance, [x], AttributeMap.Of(("axes", new IntListAttr(axes)), ("keepdims", new BoolAttr(keepdims))));
}
