using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// where (elementwise select) and cast (the conversions of <see cref="ElementConversion"/>: round to nearest even
/// into floats, truncate-saturate-NaN→0 into integers, wrap between integers, x ≠ 0 into bool). Expected values
/// are exact literals, mostly powers of two, with every tie spelled out.
/// </summary>
public sealed class WhereCastSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;
    private const double DInf = double.PositiveInfinity;
    private const double DNaN = double.NaN;
    private const double F16Max = 65504;
    private const double Bf16Max = 3.3895313892515355e38;
    private static readonly double F16Tiny = Math.ScaleB(1.0, -24);

    private static double Pow2(int exponent) => Math.ScaleB(1.0, exponent);

    private static float Pow2F(int exponent) => MathF.ScaleB(1f, exponent);

    public override IEnumerable<OpSample> Samples() => [.. Where(), .. Cast()];

    private static IEnumerable<OpSample> Where()
    {
        // Selection copies bits: NaN, infinities and −0 come through from whichever branch is chosen.
        yield return Sample("where", "nan, inf, signed zero branches", Covers.NonFinite | Covers.Negative)
            .In(T.Bool([true, false, true, false, true]), T.F32([NaN, 1, -0f, Inf, -1]), T.F32([2, NaN, 3, -Inf, 0]))
            .Expect(T.F32([NaN, NaN, -0f, -Inf, -1]));
        yield return Sample("where", "rank 0", Covers.Rank0)
            .In(T.Scalar(false), T.Scalar(1.5), T.Scalar(-2.5))
            .Expect(T.Scalar(-2.5));
        yield return Sample("where", "size-1 dims", Covers.Size1 | Covers.Negative)
            .In(T.Bool([true, false, false], 1, 3, 1), T.I32([1, 2, 3], 1, 3, 1), T.I32([-1, -2, int.MinValue], 1, 3, 1))
            .Expect(T.I32([1, -2, int.MinValue], 1, 3, 1));
        yield return Sample("where", "empty", Covers.Empty)
            .In(T.Empty(DType.Bool, 0, 2), T.Empty(DType.F32, 0, 2), T.Empty(DType.F32, 0, 2))
            .Expect(T.Empty(DType.F32, 0, 2));
        // i64 beyond 2^53 must be copied exactly, not through double.
        yield return Sample("where", "i64 exact", Covers.Negative)
            .In(T.Bool([true, false, true]), T.I64([(1L << 53) + 1, 0, long.MinValue]), T.I64([0, long.MaxValue, 0]))
            .Expect(T.I64([(1L << 53) + 1, long.MaxValue, long.MinValue]));
        yield return Sample("where", "bool branches", Covers.None)
            .In(T.Bool([true, false]), T.Bool([false, false]), T.Bool([true, true]))
            .Expect(T.Bool([false, true]));
        yield return Sample("where", "f16 and bf16 signed zero", Covers.Negative)
            .In(T.Bool([false, true, false]), T.Of(DType.F16, [1, -F16Tiny, 2]), T.Of(DType.F16, [-0.0, 3, -F16Max]))
            .Expect(T.Of(DType.F16, [-0.0, -F16Tiny, -F16Max]));
        yield return Sample("where", "bf16", Covers.NonFinite)
            .In(T.Bool([true, false]), T.Of(DType.BF16, [DNaN, 1]), T.Of(DType.BF16, [0, -Bf16Max]))
            .Expect(T.Of(DType.BF16, [DNaN, -Bf16Max]));
        yield return Sample("where", "f32 condition", Covers.Error)
            .In(T.F32([1, 0]), T.F32([1, 2]), T.F32([3, 4]))
            .Throws("condition must be bool, got f32[2]");
        yield return Sample("where", "i32 condition", Covers.Error)
            .In(T.I32([1, 0]), T.F32([1, 2]), T.F32([3, 4]))
            .Throws("condition must be bool, got i32[2]");
        yield return Sample("where", "branch dtypes differ", Covers.Error)
            .In(T.Bool([true, false]), T.F32([1, 2]), T.F64([3, 4]))
            .Throws("branch types differ: f32[2] and f64[2]");
        yield return Sample("where", "branch shapes differ", Covers.Error)
            .In(T.Bool([true, false]), T.F32([1, 2]), T.F32([1, 2], 2, 1))
            .Throws("branch types differ: f32[2] and f32[2,1]");
        yield return Sample("where", "condition shape differs", Covers.Error)
            .In(T.Bool([true, false, true]), T.F32([1, 2]), T.F32([3, 4]))
            .Throws("condition shape bool[3] differs from branch shape f32[2]");
        // No implicit broadcasting of a scalar condition (broadcast it with broadcast_in_dim).
        yield return Sample("where", "rank 0 condition", Covers.Error)
            .In(T.Scalar(true), T.F32([1, 2]), T.F32([3, 4]))
            .Throws("condition shape bool[] differs from branch shape f32[2]");
        yield return Sample("where", "size-1 condition", Covers.Error)
            .In(T.Bool([true], 1), T.F32([1, 2]), T.F32([3, 4]))
            .Throws("condition shape bool[1] differs from branch shape f32[2]");
        yield return Sample("where", "two operands", Covers.Error)
            .In(T.Bool([true]), T.F32([1]))
            .Throws("takes 3 operands, got 2");
    }

    private static OpSample Cast(string name, Covers covers, HostTensor x, DType to) =>
        Sample("cast", name, covers).In(x).Attr("dtype", to);

    private static IEnumerable<OpSample> Cast()
    {
        // Float → integer truncates toward zero and saturates; 2^31 is the first f32 above INT_MAX.
        yield return Cast("f32 to i32 truncates and saturates", Covers.Negative,
                T.F32([1.9f, -1.9f, -0.5f, 0.5f, 2147483648f, -2147483904f, 3e9f, -2147483648f, 16777217f]), DType.I32)
            .Expect(T.I32([1, -1, 0, 0, int.MaxValue, int.MinValue, int.MaxValue, int.MinValue, 16777216]));
        // NaN → 0 and ±inf saturate (as .NET 9+ and PTX cvt.rzi do).
        yield return Cast("f32 to i32 nan and inf", Covers.NonFinite | Covers.Negative,
                T.F32([NaN, Inf, -Inf, -0f, -NaN]), DType.I32)
            .Expect(T.I32([0, int.MaxValue, int.MinValue, 0, 0]));
        // 9223372036854774784 is the largest double below 2^63; 2^63 itself saturates.
        yield return Cast("f64 to i64 saturates exactly", Covers.NonFinite | Covers.Negative,
                T.F64([9223372036854774784.0, Pow2(63), -Pow2(63), -9.3e18, DNaN, DInf, -DInf, -2.5, 1e10]), DType.I64)
            .Expect(T.I64([9223372036854774784, long.MaxValue, long.MinValue, long.MinValue, 0, long.MaxValue, long.MinValue, -2, 10000000000]));
        yield return Cast("bf16 to i32", Covers.Negative | Covers.NonFinite,
                T.Of(DType.BF16, [-Bf16Max, 255.0, -1.5, DNaN]), DType.I32)
            .Expect(T.I32([int.MinValue, 255, -1, 0]));

        // f32 → f16: ties to even (1 + 2^-11 → 1, 1 + 3·2^-11 → 1 + 2^-9), 65519 stays under the overflow threshold
        // 65520, which ties to even = 2^16 = inf; 2^-25 ties to 0, 1.5·2^-25 rounds up to 2^-24, −2^-26 → −0.
        yield return Cast("f32 to f16 rounding signed zero", Covers.Negative,
                T.F32([1 + Pow2F(-11), 1 + 3 * Pow2F(-11), 65519, 65520, 1e5f, -1e5f, Pow2F(-24), Pow2F(-25), 1.5f * Pow2F(-25), -Pow2F(-26), 0.1f]),
                DType.F16)
            .Expect(T.Of(DType.F16, [1, 1 + Pow2(-9), F16Max, DInf, DInf, -DInf, F16Tiny, 0, F16Tiny, -0.0, 0.0999755859375]));
        yield return Cast("f32 to f16 nan and inf", Covers.NonFinite, T.F32([NaN, Inf, -Inf, -0f], 2, 2), DType.F16)
            .Expect(T.Of(DType.F16, [DNaN, DInf, -DInf, -0.0], 2, 2));
        // f32 → bf16: 1 + 2^-8 ties to 1; f32's max rounds past bf16's and overflows.
        yield return Cast("f32 to bf16 rounding", Covers.Negative,
                T.F32([1 + Pow2F(-8), 1 + 3 * Pow2F(-8), float.MaxValue, -1f / 3f, 0.1f]), DType.BF16)
            .Expect(T.Of(DType.BF16, [1, 1 + Pow2(-6), DInf, -0.333984375, 0.10009765625]));
        // f64 → f32 overflows to inf from the midpoint between f32's max and 2^128 up; just below it rounds down.
        // Half the smallest subnormal is 2^-150 ≈ 7.006e-46: 1e-46 underflows to ±0, 7.1e-46 rounds up.
        double midpoint = Pow2(128) - Pow2(103);
        yield return Cast("f64 to f32 overflow and underflow signed zero", Covers.Negative,
                T.F64([0.1, midpoint, Math.BitDecrement(midpoint), -midpoint, 1e-46, -1e-46, 7.1e-46]), DType.F32)
            .Expect(T.F32([0.1f, Inf, float.MaxValue, -Inf, 0, -0f, 1e-45f]));
        // i64 → f32 must round once: through double, 2^60 + 2^36 + 1 would become 2^60 + 2^36 and then tie to 2^60.
        yield return Cast("i64 to f32 rounds once", Covers.Negative,
                T.I64([(1L << 24) + 1, (1L << 24) + 3, (1L << 60) + (1L << 36) + 1, long.MaxValue, long.MinValue, -(1L << 24) - 1]), DType.F32)
            .Expect(T.F32([Pow2F(24), Pow2F(24) + 4, Pow2F(60) + Pow2F(37), Pow2F(63), -Pow2F(63), -Pow2F(24)]));
        yield return Cast("i64 to f64", Covers.Negative,
                T.I64([(1L << 53) + 1, (1L << 53) + 3, -(1L << 53) - 1, long.MaxValue]), DType.F64)
            .Expect(T.F64([Pow2(53), Pow2(53) + 4, -Pow2(53), Pow2(63)]));
        // i32 → f16: 2049 ties to 2048, 2051 to 2052; 65520 and beyond overflow.
        yield return Cast("i32 to f16", Covers.Negative, T.I32([2049, 2051, 65519, 65520, -70000, int.MinValue]), DType.F16)
            .Expect(T.Of(DType.F16, [2048, 2052, F16Max, DInf, -DInf, -DInf]));
        // Integer → narrower integer wraps (keeps the low 32 bits).
        yield return Cast("i64 to i32 wraps", Covers.Negative,
                T.I64([(1L << 32) + 5, -1, 1L << 31, long.MinValue, -(1L << 31) - 1]), DType.I32)
            .Expect(T.I32([5, -1, int.MinValue, 0, int.MaxValue]));
        yield return Cast("i32 to i64 sign-extends", Covers.Negative, T.I32([int.MinValue, -1, int.MaxValue]), DType.I64)
            .Expect(T.I64([int.MinValue, -1, int.MaxValue]));
        // To bool is x ≠ 0: NaN is true, −0 false.
        yield return Cast("f32 to bool", Covers.NonFinite | Covers.Negative, T.F32([0, -0f, NaN, 0.5f, -Inf, 1e-45f]), DType.Bool)
            .Expect(T.Bool([false, false, true, true, true, true]));
        yield return Cast("i32 to bool", Covers.Negative, T.I32([0, -1, int.MinValue, 2]), DType.Bool)
            .Expect(T.Bool([false, true, true, true]));
        yield return Cast("i64 to bool high bits", Covers.Negative, T.I64([1L << 32, 1L << 62, 0, long.MinValue]), DType.Bool)
            .Expect(T.Bool([true, true, false, true]));
        yield return Cast("bool to f32", Covers.None, T.Bool([true, false]), DType.F32)
            .Expect(T.F32([1, 0]));
        yield return Cast("bool to i64", Covers.None, T.Bool([true, false]), DType.I64)
            .Expect(T.I64([1, 0]));
        // Widening is exact: f16's subnormals and −0 survive into f32.
        yield return Cast("f16 to f32 exact signed zero", Covers.Negative, T.Of(DType.F16, [F16Tiny, -0.0, -F16Max, 0.0999755859375]), DType.F32)
            .Expect(T.F32([Pow2F(-24), -0f, -65504, 0.0999755859375f]));
        // f16 → bf16 rounds (bf16 has fewer fraction bits): 0.0999755859375 → 0.10009765625.
        yield return Cast("f16 to bf16", Covers.Negative, T.Of(DType.F16, [0.0999755859375, -F16Max, F16Tiny]), DType.BF16)
            .Expect(T.Of(DType.BF16, [0.10009765625, -65536, 5.9604644775390625e-08]));
        yield return Cast("rank 0", Covers.Rank0 | Covers.Negative, T.Scalar(-3.75), DType.I32)
            .Expect(T.Scalar(-3));
        yield return Cast("size-1 dims", Covers.Size1, T.F32([2.5f], 1, 1, 1), DType.F64)
            .Expect(T.F64([2.5], 1, 1, 1));
        yield return Cast("empty", Covers.Empty, T.Empty(DType.F32, 3, 0), DType.I64)
            .Expect(T.Empty(DType.I64, 3, 0));
        yield return Cast("same dtype", Covers.None, T.F32([NaN, -0f, 1e-45f]), DType.F32)
            .Expect(T.F32([NaN, -0f, 1e-45f]));

        yield return Sample("cast", "no dtype", Covers.Error)
            .In(T.F32([1, 2]))
            .Throws("cast needs attribute 'dtype' (a dtype like f32)");
        yield return Sample("cast", "dtype not a dtype", Covers.Error)
            .In(T.F32([1, 2])).Attr("dtype", 3)
            .Throws("attribute 'dtype' of cast must be a dtype like f32");
        yield return Sample("cast", "unknown attribute", Covers.Error)
            .In(T.F32([1, 2])).Attr("dtype", DType.I32).Attr("axis", 0)
            .Throws("cast has no attribute 'axis' (it takes dtype)");
        yield return Sample("cast", "two operands", Covers.Error)
            .In(T.F32([1, 2]), T.F32([1, 2])).Attr("dtype", DType.I32)
            .Throws("takes 1 operand, got 2");
    }
}
