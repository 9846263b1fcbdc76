namespace GraphDL.IR.Ops;

/// <summary>
/// Maximum over the <c>axes</c> (strictly increasing; empty copies the operand), dropping them or, with
/// <c>keepdims</c>, keeping them as size 1. NaN propagates (any NaN among the reduced elements gives NaN); −0.0 &lt;
/// +0.0 as in <c>max</c>. The maximum of an empty set is −inf for floats and the dtype's least value for integers.
/// <code>%1 = reduce_max(%0) {axes=[0,2], keepdims=true} : f32[1,3,1]</code>
/// </summary>
public sealed class ReduceMax : ReductionOp
{
    public static readonly ReduceMax Instance = new();

    public override string Name => "reduce_max";

    protected override double FloatIdentity => double.NegativeInfinity;

    protected override long IntegerIdentity(DType dtype) => dtype == DType.I32 ? int.MinValue : long.MinValue;

    protected override double CombineFloat(double accumulator, double value) => Math.Max(accumulator, value);

    protected override long CombineInteger(long accumulator, long value) => Math.Max(accumulator, value);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>reduce_max(x) {axes=..., keepdims=...}</c>.</summary>
    public static Node ReduceMax(this GraphBuilder builder, Value x, IReadOnlyList<int> axes, bool keepdims = false) =>
        builder.Emit(Ops.ReduceMax.Instance, [x], AttributeMap.Of(("axes", new IntListAttr(axes)), ("keepdims", new BoolAttr(keepdims))));
}
