namespace GraphDL.IR.Ops;

/// <summary>
/// A strided window: along each axis d, the elements at <c>start[d]</c>, <c>start[d] + step[d]</c>, ... below
/// <c>stop[d]</c>, so the result has ⌈(stop − start) / step⌉ of them. Each list has one entry per axis, with
/// 0 ≤ start ≤ stop ≤ size and step ≥ 1 (the DSL resolves negative and open-ended bounds).
/// <code>%1 = slice(%0) {start=[0,1], stop=[4,7], step=[1,2]} : f32[4,3]</code>
/// </summary>
public sealed class Slice : MovementOp
{
    public static readonly Slice Instance = new();

    public override string Name => "slice";

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("start", AttrKind.IntList),
        AttrSpec.Required("stop", AttrKind.IntList),
        AttrSpec.Required("step", AttrKind.IntList),
    ];

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        var start = MovementChecks.PerAxis(context, "start", x);
        var stop = MovementChecks.PerAxis(context, "stop", x);
        var step = MovementChecks.PerAxis(context, "step", x);
        var dims = new int[x.Rank];
        for (int d = 0; d < x.Rank; d++)
        {
            if (step[d] < 1)
            {
                throw context.Error($"step={IntLists.Format(step)}: axis {d} has step {step[d]} (steps must be at least 1), for {x}");
            }
            if (start[d] < 0 || start[d] > stop[d] || stop[d] > x.Shape[d])
            {
                throw context.Error($"axis {d} of {x}: start {start[d]} and stop {stop[d]} must satisfy 0 <= start <= stop <= {x.Shape[d]} (start={IntLists.Format(start)}, stop={IntLists.Format(stop)})");
            }
            dims[d] = (int)(((long)stop[d] - start[d] + step[d] - 1) / step[d]);
        }
        return x.WithShape(new Shape(dims));
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var start = context.Attributes.Ints("start");
        var step = context.Attributes.Ints("step");
        var shape = context.Result.Shape;
        return x.Select(shape, i =>
        {
            var index = shape.Unravel(i);
            for (int d = 0; d < index.Length; d++)
            {
                index[d] = start[d] + index[d] * step[d];
            }
            return x.Shape.Ravel(index);
        });
    }

    /// <summary>Reads only the elements it keeps and writes them once.</summary>
    public override OpCost Cost(OpContext context) => new(0, context.Result.SizeInBytes, context.Result.SizeInBytes);

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>The cotangent scattered back into zeros at the positions the slice read (<see cref="Scatter"/>).</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
    [
        Scatter(builder, cotangent, node.Operands[0].Type.Shape,
            node.Attributes.Ints("start"), node.Attributes.Ints("stop"), node.Attributes.Ints("step")),
    ];

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t ? builder.Emit(this, [t], node.Attributes) : null;

    /// <summary>
    /// The transpose of a slice: a tensor of <paramref name="operand"/>'s shape holding <paramref name="value"/> (the
    /// slice's result shape) at the positions <c>start + i·step</c> and zeros elsewhere. Built from primitives only:
    /// where a step exceeds 1 the value is first dilated with zeros (<see cref="Dilate"/>) and trimmed to
    /// <c>stop − start</c>, then a pad with lo = start, hi = size − stop places it.
    /// </summary>
    internal static Value Scatter(GraphBuilder builder, Value value, IReadOnlyList<int> operand,
        IReadOnlyList<int> start, IReadOnlyList<int> stop, IReadOnlyList<int> step)
    {
        int rank = operand.Count;
        Value result = Dilate(builder, value, step);
        var extent = Enumerable.Range(0, rank).Select(d => stop[d] - start[d]).ToArray();
        if (!result.Type.Shape.AsSpan().SequenceEqual(extent))
        {
            // ⌈(stop − start)/step⌉·step ≥ stop − start: the trimmed tail holds only dilation zeros.
            result = builder.Slice(result, new int[rank], extent);
        }
        var hi = Enumerable.Range(0, rank).Select(d => operand[d] - stop[d]).ToArray();
        return start.All(v => v == 0) && hi.All(v => v == 0) ? result : builder.Pad(result, start, hi, Scalar.FromDouble(DType.F64, 0));
    }

    /// <summary>
    /// Inserts <c>factor − 1</c> zeros after every element along each axis (none where the factor is 1), so an axis of
    /// n becomes n·factor: reshape adds a size-1 axis after each dilated axis, pad grows it to the factor, reshape
    /// merges the pairs.
    /// </summary>
    internal static Value Dilate(GraphBuilder builder, Value value, IReadOnlyList<int> factors)
    {
        if (factors.All(f => f == 1))
        {
            return value;
        }
        var shape = value.Type.Shape;
        var split = new List<int>();
        var hi = new List<int>();
        var merged = new int[shape.Rank];
        for (int d = 0; d < shape.Rank; d++)
        {
            split.Add(shape[d]);
            hi.Add(0);
            if (factors[d] > 1)
            {
                split.Add(1);
                hi.Add(factors[d] - 1);
            }
            merged[d] = shape[d] * factors[d];
        }
        var padded = builder.Pad(builder.Reshape(value, split), new int[split.Count], hi, Scalar.FromDouble(DType.F64, 0));
        return builder.Reshape(padded, merged);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>slice(x) {start=..., stop=..., step=...}</c>; <paramref name="step"/> defaults to 1 on every axis.</summary>
    public static Node Slice(this GraphBuilder builder, Value x, IReadOnlyList<int> start, IReadOnlyList<int> stop, IReadOnlyList<int>? step = null) =>
        builder.Emit(Ops.Slice.Instance, [x], AttributeMap.Of(
            ("start", new IntListAttr(start)),
            ("stop", new IntListAttr(stop)),
            ("step", new IntListAttr(step ?? Enumerable.Repeat(1, start.Count)))));
}
