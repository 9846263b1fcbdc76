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
