namespace GraphDL.IR.Ops;

/// <summary>
/// Reorders the axes: result axis i is operand axis <c>perm[i]</c>, so result[i0, i1, ...] is the operand element
/// whose index along axis <c>perm[j]</c> is i_j. <c>perm</c> is a permutation of 0 to rank − 1.
/// <code>%1 = permute(%0) {perm=[2,0,1]} : f32[4,2,3]</code>
/// </summary>
public sealed class Permute : MovementOp
{
    public static readonly Permute Instance = new();

    public override string Name => "permute";

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } = [AttrSpec.Required("perm", AttrKind.IntList)];

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        var perm = MovementChecks.PerAxis(context, "perm", x);
        var used = new bool[x.Rank];
        var dims = new int[x.Rank];
        for (int i = 0; i < perm.Count; i++)
        {
            int axis = perm[i];
            if (axis < 0 || axis >= x.Rank || used[axis])
            {
                throw context.Error($"perm={IntLists.Format(perm)} is not a permutation of the axes 0 to {x.Rank - 1} of {x}");
            }
            used[axis] = true;
            dims[i] = x.Shape[axis];
        }
        return x.WithShape(new Shape(dims));
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var perm = context.Attributes.Ints("perm");
        var shape = context.Result.Shape;
        return x.Select(shape, i =>
        {
            var index = shape.Unravel(i);
            var source = new int[index.Length];
            for (int j = 0; j < index.Length; j++)
            {
                source[perm[j]] = index[j];
            }
            return x.Shape.Ravel(source);
        });
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>The cotangent permuted by the inverse permutation.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        var perm = node.Attributes.Ints("perm");
        var inverse = new int[perm.Count];
        for (int i = 0; i < perm.Count; i++)
        {
            inverse[perm[i]] = i;
        }
        return [builder.Permute(cotangent, inverse)];
    }

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t ? builder.Emit(this, [t], node.Attributes) : null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>permute(x) {perm=...}</c>.</summary>
    public static Node Permute(this GraphBuilder builder, Value x, IReadOnlyList<int> perm) =>
        builder.Emit(Ops.Permute.Instance, [x], AttributeMap.Of(("perm", new IntListAttr(perm))));
}
