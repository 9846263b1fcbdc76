using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// random_uniform, random_normal, bernoulli. Expectations are derived by hand from Philox4x32-10 words: the Random123
/// known answer for counter 0, key 0 (seed 0, offset 0), and, for other blocks, words listed below that were computed
/// by a separate Python implementation of Philox4x32-10 checked against all three Random123 known answers
/// (see PhiloxTests). The element recipes are the ones documented on the ops and on <c>Philox</c>.
/// </summary>
public sealed class RandomSamples : OpSampleSet
{
    // Random123 known answer: counter (0,0,0,0), key (0,0) = seed 0, block 0.
    private static readonly uint[] Seed0Block0 = [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8];

    // From the independent Python Philox (counter (lo, hi, 0, 0) of the block, key (lo, hi) of the seed).
    private static readonly uint[] Seed0Block1 = [0xf8e4cca4, 0x5cb200db, 0xb1a574eb, 0x097eff67];
    private static readonly uint[] SeedM1Block0 = [0x72a47709, 0x15474739, 0x9f41b01f, 0x22799a5a];
    private static readonly uint[] SeedM1BlockM1 = [0x4d18d7d2, 0x430ac65a, 0xbd2fa22a, 0x0afae10d];
    private static readonly uint[] Seed0Block2Pow32 = [0x6ad0c5ec, 0xea236249, 0x73a459f5, 0x074944b3];
    private static readonly uint[] SeedM5Block3 = [0x7b371998, 0x3721624d, 0x7516bd8f, 0xab278004];

    /// <summary>A shape attribute (an IntList, never mistaken for an Int).</summary>
    private static IntListAttr Dims(params int[] dims) => new(dims);

    private static HostTensor Seed(long seed) => T.Scalar(seed);

    private static HostTensor Offset(long offset) => T.Scalar(offset);

    /// <summary>(w &gt;&gt; (32 − m))·2^−m, the uniform recipe, written out from the docs.</summary>
    private static double U(uint w, int m) => (w >> (32 - m)) / Math.Pow(2, m);

    /// <summary>Box–Muller, cosine branch, from two words: u1 = (w0 + 1)/2^32, u2 = w1/2^32.</summary>
    private static double Z(uint w0, uint w1)
    {
        double u1 = (w0 + 1.0) / 4294967296.0, u2 = w1 / 4294967296.0;
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public override IEnumerable<OpSample> Samples()
    {
        // ---- random_uniform ----
        yield return Sample("random_uniform", "f32 seed 0 offset 0 is the known answer", Covers.None)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(4)).Attr("dtype", DType.F32)
            .Expect(T.F32([0x6627e8 / 16777216f, 0xe169c5 / 16777216f, 0xbc57ac / 16777216f, 0x9b00db / 16777216f]));
        yield return Sample("random_uniform", "f64 spans two blocks", Covers.None)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2, 3)).Attr("dtype", DType.F64)
            .Expect(T.F64([.. Seed0Block0.Select(w => w / 4294967296.0), Seed0Block1[0] / 4294967296.0, Seed0Block1[1] / 4294967296.0], 2, 3));
        yield return Sample("random_uniform", "f16 rank 0", Covers.Rank0)
            .In(Seed(0), Offset(0)).Attr("shape", Dims()).Attr("dtype", DType.F16)
            .Expect(T.Of(DType.F16, [(0x6627e8d5u >> 21) / 2048.0], []));
        yield return Sample("random_uniform", "bf16 size 1", Covers.Size1)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(1, 1)).Attr("dtype", DType.BF16)
            .Expect(T.Of(DType.BF16, [0x66 / 256.0], 1, 1));
        yield return Sample("random_uniform", "empty", Covers.Empty)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(0, 3)).Attr("dtype", DType.F32)
            .Expect(T.Empty(DType.F32, 0, 3));
        yield return Sample("random_uniform", "negative seed and offset wrap the block number", Covers.Negative)
            .In(Seed(-1), Offset(-1)).Attr("shape", Dims(5)).Attr("dtype", DType.F32)
            .Expect(T.F32([.. SeedM1BlockM1.Select(w => (float)U(w, 24)), (float)U(SeedM1Block0[0], 24)]));
        yield return Sample("random_uniform", "offset 2^32 sets the counter's high word", Covers.None)
            .In(Seed(0), Offset(1L << 32)).Attr("shape", Dims(2)).Attr("dtype", DType.F64)
            .Expect(T.F64([U(Seed0Block2Pow32[0], 32), U(Seed0Block2Pow32[1], 32)]));
        yield return Sample("random_uniform", "offset counts blocks of four", Covers.None)
            .In(Seed(0), Offset(1)).Attr("shape", Dims(2)).Attr("dtype", DType.F32)
            .Expect(T.F32([(float)U(Seed0Block1[0], 24), (float)U(Seed0Block1[1], 24)]));
        yield return Sample("random_uniform", "integer dtype rejected", Covers.Error)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2)).Attr("dtype", DType.I32)
            .Throws("dtype must be a float type (f16, bf16, f32, f64), got i32");
        yield return Sample("random_uniform", "f32 seed rejected", Covers.Error)
            .In(T.Scalar(0f), Offset(0)).Attr("shape", Dims(2)).Attr("dtype", DType.F32)
            .Throws("seed must be i64[] (a rank-0 i64), got f32[]");
        yield return Sample("random_uniform", "rank-1 offset rejected", Covers.Error)
            .In(Seed(0), T.I64([0, 1])).Attr("shape", Dims(2)).Attr("dtype", DType.F32)
            .Throws("offset must be i64[] (a rank-0 i64), got i64[2]");
        yield return Sample("random_uniform", "negative dimension rejected", Covers.Negative | Covers.Error)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2, -1)).Attr("dtype", DType.F32)
            .Throws("shape=[2,-1] has a negative dimension");
        yield return Sample("random_uniform", "one operand rejected", Covers.Error)
            .In(Seed(0)).Attr("shape", Dims(2)).Attr("dtype", DType.F32)
            .Throws("takes 2 operands, got 1");

        // ---- random_normal ----
        yield return Sample("random_normal", "f64 seed 0 offset 0 from the known answer", Covers.Negative)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2)).Attr("dtype", DType.F64)
            .Expect(T.F64([Z(Seed0Block0[0], Seed0Block0[1]), Z(Seed0Block0[2], Seed0Block0[3])]))
            .Tolerance(1e-14, 0);
        // The same values from the Python implementation, to 16 digits: the second is negative.
        yield return Sample("random_normal", "f64 matches printed values", Covers.Negative)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(3)).Attr("dtype", DType.F64)
            .Expect(T.F64([0.9911376790966604, -0.6176089596525953, -0.15363822983887293]))
            .Tolerance(1e-13, 0);
        yield return Sample("random_normal", "f32 third element starts block 1", Covers.None)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(3)).Attr("dtype", DType.F32)
            .Expect(T.F32([(float)Z(Seed0Block0[0], Seed0Block0[1]), (float)Z(Seed0Block0[2], Seed0Block0[3]), (float)Z(Seed0Block1[0], Seed0Block1[1])]))
            .Tolerance(1e-6, 0);
        yield return Sample("random_normal", "f32 rank 0", Covers.Rank0)
            .In(Seed(0), Offset(0)).Attr("shape", Dims()).Attr("dtype", DType.F32)
            .Expect(T.Scalar((float)Z(Seed0Block0[0], Seed0Block0[1])))
            .Tolerance(1e-6, 0);
        yield return Sample("random_normal", "bf16 size 1", Covers.Size1)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(1, 1)).Attr("dtype", DType.BF16)
            .Expect(T.Of(DType.BF16, [Z(Seed0Block0[0], Seed0Block0[1])], 1, 1))
            .Tolerance(1e-2, 0);
        yield return Sample("random_normal", "empty", Covers.Empty)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2, 0)).Attr("dtype", DType.F64)
            .Expect(T.Empty(DType.F64, 2, 0));
        yield return Sample("random_normal", "negative seed", Covers.Negative)
            .In(Seed(-5), Offset(3)).Attr("shape", Dims(2)).Attr("dtype", DType.F64)
            .Expect(T.F64([0.26118869113941223, -0.6123889628366935]))
            .Tolerance(1e-13, 0);
        yield return Sample("random_normal", "f64 from words of another block", Covers.None)
            .In(Seed(-5), Offset(3)).Attr("shape", Dims(2)).Attr("dtype", DType.F64)
            .Expect(T.F64([Z(SeedM5Block3[0], SeedM5Block3[1]), Z(SeedM5Block3[2], SeedM5Block3[3])]))
            .Tolerance(1e-14, 0);
        yield return Sample("random_normal", "bool dtype rejected", Covers.Error)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2)).Attr("dtype", DType.Bool)
            .Throws("dtype must be a float type (f16, bf16, f32, f64), got bool");
        yield return Sample("random_normal", "i32 offset rejected", Covers.Error)
            .In(Seed(0), T.Scalar(0)).Attr("shape", Dims(2)).Attr("dtype", DType.F32)
            .Throws("offset must be i64[] (a rank-0 i64), got i32[]");

        // ---- bernoulli ----
        // Uniforms u = (w >> 8)·2^-24 of seed 0: block 0 → 0.39905, 0.88052, 0.73571, 0.60548; block 1 → 0.97224, 0.36209.
        yield return Sample("bernoulli", "p 0.5 seed 0 offset 0", Covers.None)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(4)).Attr("p", new FloatAttr(0.5))
            .Expect(T.Bool([true, false, false, false]));
        yield return Sample("bernoulli", "p 0.7 spans two blocks", Covers.None)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2, 3)).Attr("p", new FloatAttr(0.7))
            .Expect(T.Bool([true, false, false, true, false, true], 2, 3));
        // The first uniform is exactly 0x6627e8·2^-24: u < p is strict and exact.
        yield return Sample("bernoulli", "rank 0 just above the draw", Covers.Rank0)
            .In(Seed(0), Offset(0)).Attr("shape", Dims()).Attr("p", new FloatAttr((0x6627e8 + 1) / 16777216.0))
            .Expect(T.Scalar(true));
        yield return Sample("bernoulli", "size 1 exactly at the draw", Covers.Size1)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(1)).Attr("p", new FloatAttr(0x6627e8 / 16777216.0))
            .Expect(T.Bool([false], 1));
        yield return Sample("bernoulli", "empty", Covers.Empty)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(0)).Attr("p", new FloatAttr(0.5))
            .Expect(T.Empty(DType.Bool, 0));
        yield return Sample("bernoulli", "p 0 is all false", Covers.None)
            .In(Seed(7), Offset(0)).Attr("shape", Dims(6)).Attr("p", new FloatAttr(0.0))
            .Expect(T.Bool([false, false, false, false, false, false]));
        yield return Sample("bernoulli", "p 1 is all true", Covers.None)
            .In(Seed(7), Offset(0)).Attr("shape", Dims(6)).Attr("p", new FloatAttr(1.0))
            .Expect(T.Bool([true, true, true, true, true, true]));
        // Seed -1, block -1 (offset -1): u = 0.30116, 0.26188, 0.73901, 0.04289.
        yield return Sample("bernoulli", "negative seed and offset", Covers.Negative)
            .In(Seed(-1), Offset(-1)).Attr("shape", Dims(4)).Attr("p", new FloatAttr(0.5))
            .Expect(T.Bool([true, true, false, true]));
        yield return Sample("bernoulli", "p nan rejected", Covers.NonFinite | Covers.Error)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2)).Attr("p", new FloatAttr(double.NaN))
            .Throws("p=nan must be a probability, between 0 and 1");
        yield return Sample("bernoulli", "p negative rejected", Covers.Negative | Covers.Error)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2)).Attr("p", new FloatAttr(-0.25))
            .Throws("p=-0.25 must be a probability");
        yield return Sample("bernoulli", "p above 1 rejected", Covers.Error)
            .In(Seed(0), Offset(0)).Attr("shape", Dims(2)).Attr("p", new FloatAttr(1.5))
            .Throws("p=1.5 must be a probability");
        yield return Sample("bernoulli", "i32 seed rejected", Covers.Error)
            .In(T.Scalar(1), Offset(0)).Attr("shape", Dims(2)).Attr("p", new FloatAttr(0.5))
            .Throws("seed must be i64[] (a rank-0 i64), got i32[]");
    }

    public override IEnumerable<(string Op, Covers Categories, string Reason)> Exemptions =>
    [
        ("random_uniform", Covers.NonFinite, "the operands are i64 seed and offset and every result lies in [0, 1): nothing can be NaN or infinite"),
        ("random_normal", Covers.NonFinite, "the operands are i64 seed and offset and |z| ≤ 6.67 by construction: nothing can be NaN or infinite"),
    ];
}
