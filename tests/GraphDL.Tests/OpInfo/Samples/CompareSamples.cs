using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// lt, le, gt, ge, eq, ne. Every op sees the same operand pairs; its expected results are written out by hand as
/// strings of T and F, one row per op, so the six truth tables can be read side by side.
/// </summary>
public sealed class CompareSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;
    private const double DInf = double.PositiveInfinity;

    private static readonly string[] Ops = ["lt", "le", "gt", "ge", "eq", "ne"];

    /// <summary>One operand pair and each op's answer, in the order of <see cref="Ops"/>.</summary>
    private sealed record Case(string Name, Covers Covers, HostTensor A, HostTensor B, params string[] Answers);

    private static HostTensor Bools(string pattern, int[] dims) =>
        T.Bool(pattern.Select(c => c == 'T').ToArray(), dims);

    private static readonly double F16Tiny = Math.ScaleB(1.0, -24);
    private const double Bf16Max = 3.3895313892515355e38;

    private static IEnumerable<Case> Cases()
    {
        //                                                                          lt       le       gt       ge       eq       ne
        // NaN is unordered: every comparison with it is false except ne. −0 equals +0.
        yield return new("nan, inf, -0 equals +0", Covers.NonFinite | Covers.Negative,
            T.F32([1, 2, NaN, 1, -0f, -Inf, Inf, NaN, 0, 1e-45f]),
            T.F32([2, 2, 1, NaN, 0, -Inf, -Inf, NaN, -0f, 0]),
            "TFFFFFFFFF", "TTFFTTFFTF", "FFFFFFTFFT", "FTFFTTTFTT", "FTFFTTFFTF", "TFTTFFTTFT");
        yield return new("i32 extremes", Covers.Negative,
            T.I32([-1, int.MinValue, int.MaxValue, 0, -5, 3]),
            T.I32([1, int.MaxValue, int.MinValue, 0, -5, -3]),
            "TTFFFF", "TTFTTF", "FFTFFT", "FFTTTT", "FFFTTF", "TTTFFT");
        // Neighbours above 2^53 differ only beyond double precision.
        yield return new("i64 beyond 2^53", Covers.Negative,
            T.I64([(1L << 53) + 1, -(1L << 53) - 1, long.MinValue, long.MaxValue, long.MaxValue]),
            T.I64([1L << 53, -(1L << 53), long.MinValue + 1, long.MaxValue - 1, long.MaxValue]),
            "FTTFF", "FTTFT", "TFFTF", "TFFTT", "FFFFT", "TTTTF");
        // 0.1 + 0.2 in double is 0.30000000000000004, one ulp above 0.3.
        yield return new("rank 0", Covers.Rank0,
            T.Scalar(0.30000000000000004), T.Scalar(0.3),
            "F", "F", "T", "T", "F", "T");
        yield return new("size-1 dims", Covers.Size1 | Covers.Negative,
            T.F32([1, -1], 2, 1), T.F32([1, 1], 2, 1),
            "FT", "TT", "FF", "TF", "TF", "FT");
        yield return new("empty", Covers.Empty,
            T.Empty(DType.F32, 0, 2), T.Empty(DType.F32, 0, 2),
            "", "", "", "", "", "");
        // 1 + 2^-10 is the f16 neighbour of 1; the subnormal −2^-24 is below −0.
        yield return new("f16 neighbours", Covers.Negative | Covers.NonFinite,
            T.Of(DType.F16, [1, 65504, -F16Tiny, 0]),
            T.Of(DType.F16, [1.0009765625, DInf, -0.0, -0.0]),
            "TTTF", "TTTT", "FFFF", "FFFT", "FFFT", "TTTF");
        yield return new("bf16 neighbours", Covers.Negative,
            T.Of(DType.BF16, [1, Bf16Max, 1.0078125]),
            T.Of(DType.BF16, [1.0078125, -Bf16Max, 1.0078125]),
            "TFF", "TFT", "FTF", "FTT", "FFT", "TTF");
    }

    public override IEnumerable<OpSample> Samples()
    {
        foreach (var c in Cases())
        {
            for (int k = 0; k < Ops.Length; k++)
            {
                yield return Sample(Ops[k], c.Name, c.Covers)
                    .In(c.A, c.B)
                    .Expect(Bools(c.Answers[k], c.A.Shape.ToArray()));
            }
        }
        foreach (var op in Ops)
        {
            yield return Sample(op, "shapes differ", Covers.Error)
                .In(T.I32([1, 2]), T.I32([1, 2], 1, 2))
                .Throws("operand shapes differ: i32[2] and i32[1,2]");
            yield return Sample(op, "dtypes differ", Covers.Error)
                .In(T.Of(DType.F16, [1, 2]), T.Of(DType.BF16, [1, 2]))
                .Throws("operand dtypes differ: f16[2] and bf16[2]");
            yield return Sample(op, "one operand", Covers.Error)
                .In(T.F32([1, 2]))
                .Throws("takes 2 operands, got 1");
        }
        // Ordered comparisons reject bool; eq and ne take it.
        foreach (var op in Ops[..4])
        {
            yield return Sample(op, "bool rejected", Covers.Error)
                .In(T.Bool([true, false]), T.Bool([false, false]))
                .Throws("operands must be a numeric type (float or integer), got bool[2] and bool[2]");
        }
        yield return Sample("eq", "bool", Covers.None)
            .In(T.Bool([true, true, false, false]), T.Bool([true, false, true, false]))
            .Expect(T.Bool([true, false, false, true]));
        yield return Sample("ne", "bool", Covers.None)
            .In(T.Bool([true, true, false, false]), T.Bool([true, false, true, false]))
            .Expect(T.Bool([false, true, true, false]));
        yield return Sample("eq", "bool rank 0", Covers.Rank0)
            .In(T.Scalar(false), T.Scalar(false))
            .Expect(T.Scalar(true));
    }
}
