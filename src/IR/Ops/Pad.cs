namespace GraphDL.IR.Ops;

/// <summary>
/// Surrounds the operand with <c>lo[d]</c> copies of <c>value</c> before and <c>hi[d]</c> after it along each axis d
/// (one non-negative entry per axis). <c>value</c> has the operand's dtype.
/// <code>%1 = pad(%0) {lo=[0,1], hi=[2,1], value=0.0} : f32[6,5]</code>
/// </summary>
public sealed class Pad : MovementOp
{
    public static readonly Pad Instance = new();

    public override string Name => "pad";

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("lo", AttrKind.IntList),
        AttrSpec.Required("hi", AttrKind.IntList),
        AttrSpec.Required("value", AttrKind.Scalar),
    ];

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        var lo = MovementChecks.PerAxis(context, "lo", x);
        var hi = MovementChecks.PerAxis(context, "hi", x);
        var value = context.Attributes.Scalar("value");
        if (value.DType != x.DType)
        {
            throw context.Error($"value={value} is {value.DType.Name()} but the operand is {x} (the fill must have the operand's dtype)");
        }
        var dims = new int[x.Rank];
        for (int d = 0; d < x.Rank; d++)
        {
            if (lo[d] < 0 || hi[d] < 0)
            {
                throw context.Error($"lo={IntLists.Format(lo)}, hi={IntLists.Format(hi)}: axis {d} has negative padding (use slice to remove elements), for {x}");
            }
            dims[d] = MovementChecks.Dimension(context, (long)lo[d] + x.Shape[d] + hi[d], $"padded axis {d} of {x}");
        }
        return x.WithShape(new Shape(dims));
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var lo = context.Attributes.Ints("lo");
        var shape = context.Result.Shape;
        return x.Select(shape, i =>
        {
            var index = shape.Unravel(i);
            for (int d = 0; d < index.Length; d++)
            {
                index[d] -= lo[d];
                if (index[d] < 0 || index[d] >= x.Shape[d])
                {
                    return -1;
                }
            }
            return x.Shape.Ravel(index);
        }, context.Attributes.Scalar("value"));
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>The cotangent sliced back to the operand's region; the fill value is an attribute and gets no gradient.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        var operand = node.Operands[0].Type.Shape;
        var lo = node.Attributes.Ints("lo");
        return [builder.Slice(cotangent, lo, Enumerable.Range(0, operand.Rank).Select(d => lo[d] + operand[d]).ToArray())];
    }

    /// <summary>The tangent padded with zeros (the fill is a constant, whatever its value).</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t ? builder.Pad(t, node.Attributes.Ints("lo"), node.Attributes.Ints("hi"), Scalar.FromDouble(DType.F64, 0)) : null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>pad(x) {lo=..., hi=..., value=...}</c>; <paramref name="value"/> is converted to x's dtype.</summary>
    public static Node Pad(this GraphBuilder builder, Value x, IReadOnlyList<int> lo, IReadOnlyList<int> hi, Scalar value) =>
        builder.Emit(Ops.Pad.Instance, [x], AttributeMap.Of(
            ("lo", new IntListAttr(lo)),
            ("hi", new IntListAttr(hi)),
            ("value", new ScalarAttr(value.CastTo(x.Type.DType)))));
}
