namespace GraphDL.IR.Ops;

/// <summary>
/// Picks elements of x along one axis at positions given by an index tensor (torch.gather): for <c>axis=1</c> of a
/// rank-3 x, <c>out[i][j][k] = x[i][idx[i][j][k]][k]</c>. idx is i32 or i64 with the rank of x, and
/// idx.shape[d] ≤ x.shape[d] on every other axis d; the result has idx's shape and x's dtype (any dtype, copied
/// exactly). x must have rank ≥ 1 (a scalar has no axis). An index outside [0, x.shape[axis]) — negative ones
/// included, which do not wrap — is an evaluation error.
/// <code>%2 = gather(%0, %1) {axis=1} : f32[4,3]</code>
/// </summary>
public sealed class Gather : OpDef
{
    public static readonly Gather Instance = new();

    public override string Name => "gather";

    public override OpTraits Traits => OpTraits.Indexing;

    public override int MinOperands => 2;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } = [AttrSpec.Required("axis", AttrKind.Int)];

    public override TensorType InferType(OpContext context)
    {
        TensorType x = context[0], idx = context[1];
        int axis = context.Axis("axis", x.Rank);
        IndexChecks.CheckIndexShape(context, x, idx, axis);
        return idx.WithDType(x.DType);
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        HostTensor x = context[0], idx = context[1];
        int axis = context.Axis("axis");
        var xStrides = x.Shape.Strides();
        return x.Select(idx.Shape, i =>
        {
            var position = idx.Shape.Unravel(i);
            long index = idx.GetInt64(i);
            IndexChecks.CheckIndex(context, index, position, axis, x.Shape[axis]);
            long from = 0;
            for (int d = 0; d < position.Length; d++)
            {
                from += (d == axis ? index : position[d]) * xStrides[d];
            }
            return from;
        });
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>dx = scatter_add(zeros, idx, ct) (repeated indices add up); the index gets none.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
    [
        AutodiffRules.NeedsGradient(node, 0)
            ? builder.ScatterAdd(builder.Zeros(node.Operands[0].Type), node.Operands[1], cotangent, (int)node.Attributes.Int("axis"))
            : null,
        null,
    ];

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t ? builder.Emit(this, [t, node.Operands[1]], node.Attributes) : null;

    /// <summary>No arithmetic; reads the index and (at most) as many x elements, writes the result.</summary>
    public override OpCost Cost(OpContext context)
    {
        var result = context.Result;
        return new OpCost(0, context[1].SizeInBytes + result.ElementCount * context[0].DType.SizeInBytes(), result.SizeInBytes);
    }
}

/// <summary>Checks gather and scatter_add share.</summary>
internal static class IndexChecks
{
    /// <summary>idx is i32 or i64 with x's rank and fits x on every axis but <paramref name="axis"/>.</summary>
    public static void CheckIndexShape(OpContext context, TensorType x, TensorType idx, int axis)
    {
        if (!DTypeClass.Integer.Contains(idx.DType))
        {
            throw context.Error($"index must be i32 or i64, got {idx}");
        }
        if (idx.Rank != x.Rank)
        {
            throw context.Error($"index {idx} must have the rank of {x} ({x.Rank})");
        }
        for (int d = 0; d < x.Rank; d++)
        {
            if (d != axis && idx.Shape[d] > x.Shape[d])
            {
                throw context.Error($"index {idx} is larger than {x} on axis {d} (only axis {axis} may differ)");
            }
        }
    }

    /// <summary>Raises an evaluation error for an index outside [0, bound).</summary>
    public static void CheckIndex(EvalContext context, long index, int[] position, int axis, int bound)
    {
        if (index < 0 || index >= bound)
        {
            throw context.Error($"index {index} at [{string.Join(",", position)}] is out of range for axis {axis} of size {bound}");
        }
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>gather(x, idx) {axis}</c>.</summary>
    public static Node Gather(this GraphBuilder builder, Value x, Value index, int axis) =>
        builder.Emit(Ops.Gather.Instance, [x, index], AttributeMap.Of(("axis", new IntAttr(axis))));
}
