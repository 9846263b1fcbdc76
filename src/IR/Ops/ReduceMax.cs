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

    public override BinaryElementwiseOp Combiner => Max.Instance;

    protected override double FloatIdentity => double.NegativeInfinity;

    protected override long IntegerIdentity(DType dtype) => dtype == DType.I32 ? int.MinValue : long.MinValue;

    protected override double CombineFloat(double accumulator, double value) => Math.Max(accumulator, value);

    protected override long CombineInteger(long accumulator, long value) => Math.Max(accumulator, value);

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>The cotangent goes to the elements equal to the maximum, divided equally among ties (see <see cref="ReductionExtremum"/>).</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) => [ReductionExtremum.Vjp(builder, node, cotangent)];

    /// <summary>The mean of the tangent over the elements equal to the maximum.</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) => ReductionExtremum.Jvp(builder, node, tangents[0]);
}

/// <summary>
/// The rules of <c>reduce_max</c> and <c>reduce_min</c>. The selection mask marks the operand elements equal to their
/// result (the result broadcast back over the reduced axes); with ties the derivative is split equally among
/// them, so VJP = mask·ct/count and JVP = Σ mask·t / count, with count = Σ mask per result element. This is exact
/// where the extremum is unique (what gradcheck sees) and well defined at ties: the average of the one-sided
/// derivatives, as <c>torch.amax</c> does (JAX splits the same way). The mask and count come from a comparison cast to
/// the dtype, constants to autodiff, so the rules are linear in ct and t and differentiate again to zero. An empty
/// reduction has zero derivative; a NaN among the reduced elements matches nothing (count 0) and gives NaN.
/// </summary>
internal static class ReductionExtremum
{
    public static Value? Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        if (!AutodiffRules.NeedsGradient(node, 0) || IsEmpty(node))
        {
            return null;
        }
        var (mask, count) = Selection(builder, node);
        return builder.Mul(mask, BroadcastBack(builder, node, builder.Div(cotangent, count)));
    }

    public static Value? Jvp(GraphBuilder builder, Node node, Value? tangent)
    {
        if (tangent is null || IsEmpty(node))
        {
            return null;
        }
        var (mask, count) = Selection(builder, node);
        return builder.Div(builder.Emit(Ops.ReduceSum.Instance, [builder.Mul(tangent, mask)], node.Attributes), count);
    }

    /// <summary>Whether some reduced axis has size 0 (the operand is empty and the result a constant).</summary>
    private static bool IsEmpty(Node node)
    {
        var shape = node.Operands[0].Type.Shape;
        return node.Attributes.Ints("axes").Any(axis => shape[axis] == 0);
    }

    /// <summary>mask: 1 where an operand element equals its result, else 0; count: Σ mask, shaped as the result.</summary>
    private static (Value Mask, Value Count) Selection(GraphBuilder builder, Node node)
    {
        var x = node.Operands[0];
        var mask = builder.Cast(builder.Eq(x, BroadcastBack(builder, node, node)), x.Type.DType);
        var count = builder.Emit(Ops.ReduceSum.Instance, [mask], node.Attributes);
        return (mask, count);
    }

    /// <summary>
    /// A value of the result's shape repeated over the reduced axes, to the operand's shape: one broadcast_in_dim
    /// mapping the result's axes to the kept axes (all axes with keepdims), with no reshape.
    /// </summary>
    private static Value BroadcastBack(GraphBuilder builder, Node node, Value value)
    {
        var operand = node.Operands[0].Type.Shape;
        var axes = node.Attributes.Ints("axes");
        if (axes.Count == 0)
        {
            return value;
        }
        var dims = Enumerable.Range(0, operand.Rank).Where(a => node.Attributes.Bool("keepdims") || !axes.Contains(a)).ToArray();
        return builder.BroadcastInDim(value, operand.ToArray(), dims);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>reduce_max(x) {axes=..., keepdims=...}</c>.</summary>
    public static Node ReduceMax(this GraphBuilder builder, Value x, IReadOnlyList<int> axes, bool keepdims = false) =>
        builder.Emit(Ops.ReduceMax.Instance, [x], AttributeMap.Of(("axes", new IntListAttr(axes)), ("keepdims", new BoolAttr(keepdims))));
}
