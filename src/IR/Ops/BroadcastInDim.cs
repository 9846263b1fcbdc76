namespace GraphDL.IR.Ops;

/// <summary>
/// Broadcasts to <c>shape</c> as XLA's BroadcastInDim does: operand axis i becomes result axis <c>dims[i]</c>
/// (<c>dims</c> strictly increasing, one per operand axis) and its size must equal that result axis or be 1 (then it
/// is repeated); the other result axes are new and repeat the operand.
/// <code>%1 = broadcast_in_dim(%0) {shape=[64,128], dims=[1]} : f32[64,128]</code>
/// </summary>
public sealed class BroadcastInDim : MovementOp
{
    public static readonly BroadcastInDim Instance = new();

    public override string Name => "broadcast_in_dim";

    public override OpTraits Traits => OpTraits.Movement | OpTraits.Broadcast;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("shape", AttrKind.IntList),
        AttrSpec.Required("dims", AttrKind.IntList),
    ];

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        var shape = MovementChecks.ShapeAttribute(context, "shape");
        var dims = context.Attributes.Ints("dims");
        string text = $"dims={IntLists.Format(dims)}";
        if (dims.Count != x.Rank)
        {
            throw context.Error($"{text} has {dims.Count} entries but the operand {x} has rank {x.Rank} (one result axis per operand axis)");
        }
        for (int i = 0; i < dims.Count; i++)
        {
            int d = dims[i];
            if (d < 0 || d >= shape.Rank)
            {
                throw context.Error($"{text}: {d} is out of range for the result shape={shape} (axes are 0 to {shape.Rank - 1})");
            }
            if (i > 0 && d <= dims[i - 1])
            {
                throw context.Error($"{text} must be strictly increasing, for operand {x}");
            }
            if (x.Shape[i] != shape[d] && x.Shape[i] != 1)
            {
                throw context.Error($"operand {x} axis {i} has size {x.Shape[i]} but result axis {d} of shape={shape} has size {shape[d]} (sizes must be equal, or 1 in the operand)");
            }
        }
        return x.WithShape(shape);
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var dims = context.Attributes.Ints("dims");
        var shape = context.Result.Shape;
        return x.Select(shape, i =>
        {
            var index = shape.Unravel(i);
            var source = new int[x.Shape.Rank];
            for (int j = 0; j < source.Length; j++)
            {
                source[j] = x.Shape[j] == 1 ? 0 : index[dims[j]];
            }
            return x.Shape.Ravel(source);
        });
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>Sum the cotangent over the result dims the operand does not map to and over the operand's size-1 dims that were expanded, then reshape back.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        var operand = node.Operands[0].Type.Shape;
        var dims = node.Attributes.Ints("dims").ToList();
        var result = node.Type.Shape;
        var summed = Enumerable.Range(0, result.Rank)
            .Where(r => dims.IndexOf(r) is var i && (i < 0 || (operand[i] == 1 && result[r] != 1)))
            .ToArray();
        Value reduced = summed.Length == 0 ? cotangent : builder.ReduceSum(cotangent, summed, keepdims: true);
        return [reduced.Type.Shape == operand ? reduced : builder.Reshape(reduced, operand.ToArray())];
    }

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t ? builder.Emit(this, [t], node.Attributes) : null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>broadcast_in_dim(x) {shape=..., dims=...}</c>.</summary>
    public static Node BroadcastInDim(this GraphBuilder builder, Value x, IReadOnlyList<int> shape, IReadOnlyList<int> dims) =>
        builder.Emit(Ops.BroadcastInDim.Instance, [x], AttributeMap.Of(("shape", new IntListAttr(shape)), ("dims", new IntListAttr(dims))));
}
