namespace GraphDL.IR.Ops;

/// <summary>
/// Standard normal random numbers (mean 0, variance 1) of the given <c>shape</c> and float <c>dtype</c>, drawn from
/// the Philox4x32-10 stream selected by the operands seed: i64[] and offset: i64[] (pure: equal operands give equal
/// results). Element i (row-major) uses Philox block offset + ⌊i/2⌋: its words (w0, w1) = (0, 1) for even i and
/// (2, 3) for odd i; u1 = (w0 + 1)·2^−32 ∈ (0, 1], u2 = w1·2^−32 ∈ [0, 1), and z = sqrt(−2·ln u1)·cos(2π·u2) (Box–Muller,
/// cosine branch only), computed in double and rounded once to the dtype; |z| ≤ 6.67, never inf or NaN.
/// <see cref="Philox"/> defines the block function, the key (low, high 32 bits of seed), the counter and the exact
/// double formula backends must reproduce.
/// <code>%2 = random_normal(%seed, %offset) {shape=[64,128], dtype=f32} : f32[64,128]</code>
/// </summary>
public sealed class RandomNormal : OpDef
{
    public static readonly RandomNormal Instance = new();

    public override string Name => "random_normal";

    public override OpTraits Traits => OpTraits.Random;

    public override int MinOperands => 2;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("shape", AttrKind.IntList),
        AttrSpec.Required("dtype", AttrKind.DType),
    ];

    public override TensorType InferType(OpContext context)
    {
        RandomOps.CheckSeedAndOffset(context);
        var shape = ShapeAttributes.Read(context, "shape");
        var dtype = context.Attributes.DType("dtype");
        if (!dtype.IsFloat())
        {
            throw context.Error($"dtype must be {DTypeClass.Float.Describe()}, got {dtype.Name()}");
        }
        return new TensorType(dtype, shape);
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var (seed, offset) = RandomOps.SeedAndOffset(context);
        var result = context.Result;
        var values = new double[result.ElementCount];
        for (long i = 0; i < values.LongLength; i++)
        {
            var block = Philox.StreamBlock(seed, offset, i / 2);
            int first = i % 2 == 0 ? 0 : 2;
            values[i] = Philox.NormalFromWords(block[first], block[first + 1]);
        }
        return HostTensor.FromDoubles(result.DType, result.Shape, values);
    }

    /// <summary>Half a Philox block (~30 operations) plus a log, a sqrt and a cos (~30 more) per element.</summary>
    public override OpCost Cost(OpContext context) => OpCost.Streaming(context, 60);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>random_normal(seed, offset) {shape, dtype}</c>.</summary>
    public static Node RandomNormal(this GraphBuilder builder, Value seed, Value offset, int[] shape, DType dtype) =>
        builder.Emit(Ops.RandomNormal.Instance, [seed, offset], AttributeMap.Of(("shape", new IntListAttr(shape)), ("dtype", new DTypeAttr(dtype))));
}
