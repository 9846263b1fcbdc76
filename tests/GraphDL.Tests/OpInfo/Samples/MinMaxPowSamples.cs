using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// max, min (IEEE 754-2019 maximum/minimum: NaN propagates, −0 &lt; +0) and pow (C99 Annex F special cases).
/// Expectations are by hand; samples named "signed zero" are also checked bit for bit on zeros.
/// </summary>
public sealed class MinMaxPowSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;
    private const double DInf = double.PositiveInfinity;
    private const double DNaN = double.NaN;
    private const double F16Max = 65504;
    private const double Bf16Max = 3.3895313892515355e38;
    private static readonly double F16Tiny = Math.ScaleB(1.0, -24);

    private static double Pow2(int exponent) => Math.ScaleB(1.0, exponent);

    /// <summary>One operand pair with its max and its min.</summary>
    private sealed record Case(string Name, Covers Covers, HostTensor A, HostTensor B, HostTensor Max, HostTensor Min);

    private static IEnumerable<Case> Cases()
    {
        // NaN on either side wins (torch.maximum, XLA); max(−0, +0) = +0 and min = −0 whichever side each is on.
        yield return new("nan, inf, signed zero", Covers.NonFinite | Covers.Negative,
            T.F32([1, -2, NaN, 3, -0f, 0, Inf, -Inf, 1e-45f, NaN]),
            T.F32([-1, -3, 5, NaN, 0, -0f, -Inf, NaN, -0f, NaN]),
            T.F32([1, -2, NaN, NaN, 0, 0, Inf, NaN, 1e-45f, NaN]),
            T.F32([-1, -3, NaN, NaN, -0f, -0f, -Inf, NaN, -0f, NaN]));
        yield return new("i32 extremes", Covers.Negative,
            T.I32([int.MinValue, -1, 5, int.MaxValue]), T.I32([int.MaxValue, -2, 5, 0]),
            T.I32([int.MaxValue, -1, 5, int.MaxValue]), T.I32([int.MinValue, -2, 5, 0]));
        yield return new("i64 beyond 2^53", Covers.Negative,
            T.I64([(1L << 53) + 1, long.MinValue]), T.I64([1L << 53, long.MinValue + 1]),
            T.I64([(1L << 53) + 1, long.MinValue + 1]), T.I64([1L << 53, long.MinValue]));
        yield return new("rank 0", Covers.Rank0 | Covers.Negative,
            T.Scalar(-0.5), T.Scalar(-1.5), T.Scalar(-0.5), T.Scalar(-1.5));
        yield return new("size-1 dims f16", Covers.Size1 | Covers.Negative,
            T.Of(DType.F16, [1, -F16Max], 1, 2), T.Of(DType.F16, [1.0009765625, -F16Tiny], 1, 2),
            T.Of(DType.F16, [1.0009765625, -F16Tiny], 1, 2), T.Of(DType.F16, [1, -F16Max], 1, 2));
        yield return new("bf16 signed zero", Covers.NonFinite | Covers.Negative,
            T.Of(DType.BF16, [Bf16Max, -0.0, DNaN]), T.Of(DType.BF16, [-DInf, 0, 1]),
            T.Of(DType.BF16, [Bf16Max, 0, DNaN]), T.Of(DType.BF16, [-DInf, -0.0, DNaN]));
        yield return new("empty", Covers.Empty,
            T.Empty(DType.F32, 0, 2), T.Empty(DType.F32, 0, 2), T.Empty(DType.F32, 0, 2), T.Empty(DType.F32, 0, 2));
    }

    public override IEnumerable<OpSample> Samples()
    {
        foreach (var c in Cases())
        {
            yield return Sample("max", c.Name, c.Covers).In(c.A, c.B).Expect(c.Max);
            yield return Sample("min", c.Name, c.Covers).In(c.A, c.B).Expect(c.Min);
        }
        foreach (var op in new[] { "max", "min", "pow" })
        {
            yield return Sample(op, "shapes differ", Covers.Error)
                .In(T.F32([1, 2, 3]), T.F32([1, 2, 3], 3, 1))
                .Throws("operand shapes differ: f32[3] and f32[3,1]");
            yield return Sample(op, "dtypes differ", Covers.Error)
                .In(T.F32([1, 2]), T.Of(DType.F16, [1, 2]))
                .Throws("operand dtypes differ: f32[2] and f16[2]");
        }
        yield return Sample("max", "bool rejected", Covers.Error)
            .In(T.Bool([true, false]), T.Bool([false, false]))
            .Throws("operands must be a numeric type (float or integer), got bool[2] and bool[2]");
        yield return Sample("min", "bool rejected", Covers.Error)
            .In(T.Bool([true, false]), T.Bool([false, false]))
            .Throws("operands must be a numeric type (float or integer), got bool[2] and bool[2]");

        // pow(−8, 1/3) is NaN (the exponent is not an integer); 10^-46 underflows f32 and 10^39 overflows.
        yield return Sample("pow", "f32 vector", Covers.Negative)
            .In(T.F32([2, -8, 0, 0, -2, 4, 2, -2, 10, 10]), T.F32([10, 1f / 3f, 0, -1, 3, 0.5f, -1, -2, -46, 39]))
            .Expect(T.F32([1024, NaN, 1, Inf, -8, 2, 0.5f, 0.25f, 0, Inf]));
        yield return Sample("pow", "rank 0", Covers.Rank0)
            .In(T.Scalar(2.0), T.Scalar(0.5))
            .Expect(T.Scalar(1.4142135623730951)).Tolerance(1e-15, 0);
        yield return Sample("pow", "size-1 dims", Covers.Size1 | Covers.Negative)
            .In(T.F64([-8, 9, -2], 3, 1), T.F64([3, 0.5, -1075], 3, 1))
            .Expect(T.F64([-512, 3, -0.0], 3, 1));
        yield return Sample("pow", "empty", Covers.Empty)
            .In(T.Empty(DType.F64, 0, 0), T.Empty(DType.F64, 0, 0))
            .Expect(T.Empty(DType.F64, 0, 0));
        // C99 F.9.4.4: pow(x, ±0) = 1 even for NaN; pow(1, y) = 1 even for NaN; pow(−1, ±inf) = 1; pow(±0, odd < 0)
        // = ±inf; pow(±0, odd > 0) = ±0; pow(−0, 0.5) = +0; pow(−inf, odd) = −inf; pow(0, −inf) = +inf.
        yield return Sample("pow", "ieee special cases signed zero", Covers.NonFinite | Covers.Negative)
            .In(T.F32([NaN, 1, -1, 0.5f, 2, Inf, -Inf, -Inf, -0f, -0f, NaN, -2, Inf, -0f, 0, -1, -0f]),
                T.F32([0, NaN, Inf, Inf, -Inf, -1, 3, 2, -1, 3, 1, 0.5f, 0, 0.5f, -Inf, -Inf, 2]))
            .Expect(T.F32([1, 1, 1, 0, 0, 0, -Inf, Inf, -Inf, -0f, NaN, NaN, 1, 0, Inf, 1, 0]));
        // f16: 2^16 overflows; 2^-25 is halfway between 0 and 2^-24 and ties to 0; √3 = 1.7320508 → 1.732421875.
        yield return Sample("pow", "f16 overflow and underflow", Covers.Negative)
            .In(T.Of(DType.F16, [2, 2, 2, 2, -2, 3, 256]), T.Of(DType.F16, [15, 16, -24, -25, 3, 0.5, 2]))
            .Expect(T.Of(DType.F16, [32768, DInf, F16Tiny, 0, -8, 1.732421875, DInf]));
        yield return Sample("pow", "bf16", Covers.Negative)
            .In(T.Of(DType.BF16, [2, 2, 3, -2]), T.Of(DType.BF16, [127, 128, 0.5, -1]))
            .Expect(T.Of(DType.BF16, [Pow2(127), DInf, 1.734375, -0.5]));
        yield return Sample("pow", "i32 rejected", Covers.Error)
            .In(T.I32([2, 3]), T.I32([2, 2]))
            .Throws("operands must be a float type (f16, bf16, f32, f64), got i32[2] and i32[2]");
        yield return Sample("pow", "three operands", Covers.Error)
            .In(T.F32([2]), T.F32([2]), T.F32([2]))
            .Throws("takes 2 operands, got 3");
    }
}
