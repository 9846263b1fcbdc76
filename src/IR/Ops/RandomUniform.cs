namespace GraphDL.IR.Ops;

/// <summary>
/// Uniform random numbers in [0, 1) of the given <c>shape</c> and float <c>dtype</c>, drawn from the Philox4x32-10
/// stream selected by the operands seed: i64[] and offset: i64[] (pure: equal operands give equal results).
/// Element i (row-major) is w·2^−m with w the top m bits of word i mod 4 of Philox block offset + ⌊i/4⌋ under key
/// (low 32 bits of seed, high 32 bits of seed), and m = 24 for f32, 32 for f64, 11 for f16, 8 for bf16; every value is
/// exact in its dtype, so backends must match bit for bit. <see cref="Philox"/> defines the block function, the counter
/// (low 32 bits of the block number, high 32 bits, 0, 0) and the 64-bit wrapping of offset + ⌊i/4⌋. Known answer: seed 0,
/// offset 0, f32 → element 0 = (0x6627e8d5 &gt;&gt; 8)·2^−24.
/// <code>%2 = random_uniform(%seed, %offset) {shape=[2,3], dtype=f32} : f32[2,3]</code>
/// </summary>
public sealed class RandomUniform : OpDef
{
    public static readonly RandomUniform Instance = new();

    public override string Name => "random_uniform";

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
        int bits = Philox.UniformBits(result.DType);
        var values = new double[result.ElementCount];
        for (long i = 0; i < values.LongLength; i++)
        {
            var block = Philox.StreamBlock(seed, offset, i / 4);
            values[i] = Philox.UniformFromWord(block[i % 4], bits);
        }
        return HostTensor.FromDoubles(result.DType, result.Shape, values);
    }

    /// <summary>One Philox block (10 rounds of 2 multiplies and 4 xors, ~60 operations) per 4 elements, plus a scale each.</summary>
    public override OpCost Cost(OpContext context) => OpCost.Streaming(context, 16);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>random_uniform(seed, offset) {shape, dtype}</c>.</summary>
    public static Node RandomUniform(this GraphBuilder builder, Value seed, Value offset, int[] shape, DType dtype) =>
        builder.Emit(Ops.RandomUniform.Instance, [seed, offset], AttributeMap.Of(("shape", new IntListAttr(shape)), ("dtype", new DTypeAttr(dtype))));
}
