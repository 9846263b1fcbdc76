namespace GraphDL.IR.Ops;

/// <summary>
/// Joins one or more operands end to end along <c>axis</c>. They share dtype and rank (at least 1) and agree in every
/// other axis; the result's <c>axis</c> is the sum of theirs. Empty operands contribute nothing.
/// <code>%3 = concat(%0, %1, %2) {axis=1} : f32[2,9]</code>
/// </summary>
public sealed class Concat : MovementOp
{
    public static readonly Concat Instance = new();

    public override string Name => "concat";

    public override int MaxOperands => int.MaxValue;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } = [AttrSpec.Required("axis", AttrKind.Int)];

    public override TensorType InferType(OpContext context)
    {
        var first = context[0];
        for (int k = 1; k < context.Operands.Count; k++)
        {
            var other = context[k];
            if (other.DType != first.DType)
            {
                throw context.Error($"operand dtypes differ: operand 0 is {first} and operand {k} is {other} (convert with cast)");
            }
            if (other.Rank != first.Rank)
            {
                throw context.Error($"operand ranks differ: operand 0 is {first} and operand {k} is {other}");
            }
        }
        if (first.Rank == 0)
        {
            throw context.Error($"operands of rank 0 ({first}) have no axis to join along (reshape them to rank 1)");
        }
        int axis = context.Axis("axis", first.Rank);
        long total = 0;
        for (int k = 0; k < context.Operands.Count; k++)
        {
            var other = context[k];
            for (int d = 0; d < first.Rank; d++)
            {
                if (d != axis && other.Shape[d] != first.Shape[d])
                {
                    throw context.Error($"operand {k} {other} differs from operand 0 {first} in axis {d} (only axis={axis} may differ)");
                }
            }
            total += other.Shape[axis];
        }
        var dims = first.Shape.ToArray();
        dims[axis] = MovementChecks.Dimension(context, total, $"the joined axis {axis}");
        return first.WithShape(new Shape(dims));
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        int axis = context.Axis("axis");
        var shape = context.Result.Shape;
        var parts = new (HostTensor, long)[shape.ElementCount];
        for (long i = 0; i < parts.LongLength; i++)
        {
            var index = shape.Unravel(i);
            // Find the operand holding this position along the axis, and the position within it.
            int k = 0;
            while (index[axis] >= context[k].Shape[axis])
            {
                index[axis] -= context[k].Shape[axis];
                k++;
            }
            parts[i] = (context[k], context[k].Shape.Ravel(index));
        }
        return HostTensor.FromParts(context.Result, parts);
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>Each operand gets its piece of the cotangent, sliced along the axis.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        int axis = (int)node.Attributes.Int("axis");
        var shape = node.Type.Shape;
        var grads = new Value?[node.Operands.Count];
        int offset = 0;
        for (int k = 0; k < grads.Length; k++)
        {
            int size = node.Operands[k].Type.Shape[axis];
            if (AutodiffRules.NeedsGradient(node, k))
            {
                var start = new int[shape.Rank];
                var stop = shape.ToArray();
                start[axis] = offset;
                stop[axis] = offset + size;
                grads[k] = builder.Slice(cotangent, start, stop);
            }
            offset += size;
        }
        return grads;
    }

    /// <summary>The tangents joined the same way, zeros standing in for operands without one.</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents.All(t => t is null)
            ? null
            : builder.Emit(this, tangents.Select((t, k) => t ?? builder.Zeros(node.Operands[k].Type)).ToArray(), node.Attributes);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>concat(x0, x1, ...) {axis=...}</c>.</summary>
    public static Node Concat(this GraphBuilder builder, IReadOnlyList<Value> operands, int axis) =>
        builder.Emit(Ops.Concat.Instance, operands, AttributeMap.Of(("axis", new IntAttr(axis))));
}
