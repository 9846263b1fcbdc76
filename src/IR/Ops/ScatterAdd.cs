namespace GraphDL.IR.Ops;

/// <summary>
/// Adds src into a copy of x at positions along one axis given by an index tensor (torch.scatter_add): for
/// <c>axis=0</c> of rank 2, <c>out[idx[i][j]][j] += src[i][j]</c> for every (i, j) of idx. x and src share one numeric
/// dtype; idx is i32 or i64; idx and src have one shape, with x's rank, and idx.shape[d] ≤ x.shape[d] on every other
/// axis d. The result has x's type. Each result element is x plus every src element aimed at it, added in row-major
/// order of idx in double (long for integers, wrapping) and rounded once to the dtype; backends that add in another
/// order (atomics) match up to that rounding. An index outside [0, x.shape[axis]) — negative ones included, which do not wrap — is an evaluation
/// error.
/// <code>%3 = scatter_add(%0, %1, %2) {axis=0} : f32[5,3]</code>
/// </summary>
public sealed class ScatterAdd : OpDef
{
    public static readonly ScatterAdd Instance = new();

    public override string Name => "scatter_add";

    public override OpTraits Traits => OpTraits.Indexing;

    public override int MinOperands => 3;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } = [AttrSpec.Required("axis", AttrKind.Int)];

    public override TensorType InferType(OpContext context)
    {
        TensorType x = context[0], idx = context[1], src = context[2];
        if (!DTypeClass.Numeric.Contains(x.DType))
        {
            throw context.Error($"x must be {DTypeClass.Numeric.Describe()}, got {x}");
        }
        if (src.DType != x.DType)
        {
            throw context.Error($"src {src} must have the dtype of x {x}");
        }
        int axis = context.Axis("axis", x.Rank);
        IndexChecks.CheckIndexShape(context, x, idx, axis);
        if (src.Shape != idx.Shape)
        {
            throw context.Error($"src {src} must have the shape of index {idx}");
        }
        return x;
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        HostTensor x = context[0], idx = context[1], src = context[2];
        int axis = context.Axis("axis");
        var xStrides = x.Shape.Strides();
        bool isFloat = x.DType.IsFloat();
        double[] fout = isFloat ? x.ToDoubleArray() : [], fsrc = isFloat ? src.ToDoubleArray() : [];
        long[] iout = isFloat ? [] : x.ToInt64Array(), isrc = isFloat ? [] : src.ToInt64Array();
        for (long i = 0; i < idx.ElementCount; i++)
        {
            var position = idx.Shape.Unravel(i);
            long index = idx.GetInt64(i);
            IndexChecks.CheckIndex(context, index, position, axis, x.Shape[axis]);
            long to = 0;
            for (int d = 0; d < position.Length; d++)
            {
                to += (d == axis ? index : position[d]) * xStrides[d];
            }
            if (isFloat)
            {
                fout[to] += fsrc[i];
            }
            else
            {
                iout[to] = unchecked(iout[to] + isrc[i]);
            }
        }
        if (isFloat)
        {
            return HostTensor.FromDoubles(x.DType, x.Shape, fout);
        }
        for (long i = 0; i < iout.LongLength; i++)
        {
            iout[i] = ElementConversion.WrapInteger(iout[i], x.DType);
        }
        return HostTensor.FromInt64s(x.DType, x.Shape, iout);
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>dx = ct; dsrc = gather(ct, idx) (each src element reads the cotangent where it landed); the index gets none.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
    [
        AutodiffRules.NeedsGradient(node, 0) ? cotangent : null,
        null,
        AutodiffRules.NeedsGradient(node, 2) ? builder.Gather(cotangent, node.Operands[1], (int)node.Attributes.Int("axis")) : null,
    ];

    /// <summary>Linear in (x, src): scatter_add(tx, idx, tsrc), zeros standing in for a missing tangent.</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[2] is not { } ts
            ? tangents[0]
            : builder.Emit(this, [tangents[0] ?? builder.Zeros(node.Operands[0].Type), node.Operands[1], ts], node.Attributes);

    /// <summary>One add per src element; reads x, idx and src, writes the result.</summary>
    public override OpCost Cost(OpContext context) => OpCost.Streaming(context, 0) with { Flops = context[2].ElementCount };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>scatter_add(x, idx, src) {axis}</c>.</summary>
    public static Node ScatterAdd(this GraphBuilder builder, Value x, Value index, Value source, int axis) =>
        builder.Emit(Ops.ScatterAdd.Instance, [x, index, source], AttributeMap.Of(("axis", new IntAttr(axis))));
}
