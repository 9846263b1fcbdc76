namespace GraphDL.IR.Ops;

/// <summary>
/// A tensor of the given <c>shape</c> and numeric <c>dtype</c> whose element at index (i0, i1, …) is i_axis, its
/// position along <c>axis</c> (0 ≤ axis &lt; rank, so the shape has rank ≥ 1). Float dtypes round the position as
/// <c>cast</c> does: f16 holds integers exactly up to 2048 and overflows to inf from 65520, bf16 is exact up to 256.
/// <code>%0 = iota() {shape=[2,3], axis=1, dtype=i64} : i64[2,3]</code>
/// </summary>
public sealed class Iota : OpDef
{
    public static readonly Iota Instance = new();

    public override string Name => "iota";

    public override OpTraits Traits => OpTraits.Creation;

    public override int MinOperands => 0;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("shape", AttrKind.IntList),
        AttrSpec.Required("axis", AttrKind.Int),
        AttrSpec.Required("dtype", AttrKind.DType),
    ];

    public override TensorType InferType(OpContext context)
    {
        var shape = ShapeAttributes.Read(context, "shape");
        var dtype = context.Attributes.DType("dtype");
        if (!DTypeClass.Numeric.Contains(dtype))
        {
            throw context.Error($"dtype must be {DTypeClass.Numeric.Describe()}, got {dtype.Name()}");
        }
        context.Axis("axis", shape.Rank);
        return new TensorType(dtype, shape);
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var result = context.Result;
        int axis = context.Axis("axis");
        var values = new long[result.ElementCount];
        for (long i = 0; i < values.LongLength; i++)
        {
            values[i] = result.Shape.Unravel(i)[axis];
        }
        return HostTensor.FromInt64s(result.DType, result.Shape, values);
    }

    /// <summary>No arithmetic and nothing to read; writes the result once.</summary>
    public override OpCost Cost(OpContext context) => new(0, 0, context.Result.SizeInBytes);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>iota() {shape, axis, dtype}</c>.</summary>
    public static Node Iota(this GraphBuilder builder, int[] shape, int axis, DType dtype) =>
        builder.Emit(Ops.Iota.Instance, [], AttributeMap.Of(
            ("shape", new IntListAttr(shape)), ("axis", new IntAttr(axis)), ("dtype", new DTypeAttr(dtype))));
}
