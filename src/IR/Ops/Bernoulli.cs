namespace GraphDL.IR.Ops;

/// <summary>
/// Bool random draws, true with probability <c>p</c> (0 ≤ p ≤ 1), of the given <c>shape</c>, from the Philox4x32-10
/// stream selected by the operands seed: i64[] and offset: i64[] (pure: equal operands give equal results).
/// Element i (row-major) is u &lt; p with u = (w &gt;&gt; 8)·2^−24 and w word i mod 4 of Philox block offset + ⌊i/4⌋, so
/// p = 0 gives all false, p = 1 all true, and the comparison is exact (backends must match bit for bit: compare the
/// 24-bit integer w &gt;&gt; 8 with p·2^24 in double). <see cref="Philox"/> defines the block function, the key and the
/// counter. Dropout masks are built from it.
/// <code>%2 = bernoulli(%seed, %offset) {shape=[64,128], p=0.9} : bool[64,128]</code>
/// </summary>
public sealed class Bernoulli : OpDef
{
    public static readonly Bernoulli Instance = new();

    public override string Name => "bernoulli";

    public override OpTraits Traits => OpTraits.Random;

    public override int MinOperands => 2;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("shape", AttrKind.IntList),
        AttrSpec.Required("p", AttrKind.Float),
    ];

    public override TensorType InferType(OpContext context)
    {
        RandomOps.CheckSeedAndOffset(context);
        var shape = ShapeAttributes.Read(context, "shape");
        double p = context.Attributes.Float("p");
        if (!(p >= 0 && p <= 1))
        {
            throw context.Error($"p={FloatFormat.Format(p, DType.F64)} must be a probability, between 0 and 1");
        }
        return new TensorType(DType.Bool, shape);
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var (seed, offset) = RandomOps.SeedAndOffset(context);
        var result = context.Result;
        double p = context.Attributes.Float("p");
        var values = new bool[result.ElementCount];
        for (long i = 0; i < values.LongLength; i++)
        {
            var block = Philox.StreamBlock(seed, offset, i / 4);
            values[i] = Philox.BernoulliFromWord(block[i % 4], p);
        }
        return HostTensor.FromBools(result.Shape, values);
    }

    /// <summary>One Philox block (~60 operations) per 4 elements, plus a compare each.</summary>
    public override OpCost Cost(OpContext context) => OpCost.Streaming(context, 16);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>bernoulli(seed, offset) {shape, p}</c>.</summary>
    public static Node Bernoulli(this GraphBuilder builder, Value seed, Value offset, int[] shape, double p) =>
        builder.Emit(Ops.Bernoulli.Instance, [seed, offset], AttributeMap.Of(("shape", new IntListAttr(shape)), ("p", new FloatAttr(p))));
}
