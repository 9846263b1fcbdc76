using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// add, sub, mul, div. Expectations are written out by hand (f16 and bf16 ties noted); samples named "signed zero"
/// are also checked bit for bit on zeros by <see cref="SignedZeroTests"/>.
/// </summary>
public sealed class ArithmeticSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;
    private const double DInf = double.PositiveInfinity;
    private const float Tiny = 1e-45f;
    private static readonly double F16Tiny = Math.ScaleB(1.0, -24);
    private const double F16Max = 65504;
    private const double Bf16Max = 3.3895313892515355e38;

    private static double Pow2(int exponent) => Math.ScaleB(1.0, exponent);

    public override IEnumerable<OpSample> Samples()
    {
        yield return Sample("add", "f32 vector", Covers.Negative)
            .In(T.F32([1, -2, 3.5f]), T.F32([0.5f, -0.25f, -3.5f]))
            .Expect(T.F32([1.5f, -2.25f, 0]));
        yield return Sample("add", "rank 0", Covers.Rank0)
            .In(T.Scalar(2.0), T.Scalar(-0.5))
            .Expect(T.Scalar(1.5));
        yield return Sample("add", "size-1 dims", Covers.Size1)
            .In(T.I32([1, 2], 1, 2, 1), T.I32([10, 20], 1, 2, 1))
            .Expect(T.I32([11, 22], 1, 2, 1));
        yield return Sample("add", "empty", Covers.Empty)
            .In(T.Empty(DType.F32, 3, 0), T.Empty(DType.F32, 3, 0))
            .Expect(T.Empty(DType.F32, 3, 0));
        yield return Sample("add", "inf and nan", Covers.NonFinite)
            .In(T.F32([Inf, Inf, NaN, -Inf]), T.F32([1, -Inf, 0, -Inf]))
            .Expect(T.F32([Inf, NaN, NaN, -Inf]));
        yield return Sample("add", "i32 wraps", Covers.Negative)
            .In(T.I32([int.MaxValue, int.MinValue]), T.I32([1, -1]))
            .Expect(T.I32([int.MinValue, int.MaxValue]));
        yield return Sample("add", "shapes differ", Covers.Error)
            .In(T.F32([1, 2]), T.F32([1, 2, 3]))
            .Throws("operand shapes differ: f32[2] and f32[3]");
        yield return Sample("add", "dtypes differ", Covers.Error)
            .In(T.F32([1, 2]), T.F64([1, 2]))
            .Throws("operand dtypes differ");
        yield return Sample("add", "bool rejected", Covers.Error)
            .In(T.Bool([true]), T.Bool([false]))
            .Throws("must be");
        foreach (var sample in Sub().Concat(Mul()).Concat(Div()))
        {
            yield return sample;
        }
    }

    /// <summary>The type-rule errors every numeric binary op shares.</summary>
    private static IEnumerable<OpSample> BinaryErrors(string op)
    {
        yield return Sample(op, "shapes differ", Covers.Error)
            .In(T.F32([1, 2], 2, 1), T.F32([1, 2], 1, 2))
            .Throws("operand shapes differ: f32[2,1] and f32[1,2]");
        yield return Sample(op, "rank 0 against size 1", Covers.Error)
            .In(T.Scalar(1), T.I32([1], 1))
            .Throws("operand shapes differ: i32[] and i32[1]");
        yield return Sample(op, "dtypes differ", Covers.Error)
            .In(T.I32([1, 2]), T.I64([1, 2]))
            .Throws("operand dtypes differ: i32[2] and i64[2]");
        yield return Sample(op, "bool rejected", Covers.Error)
            .In(T.Bool([true, false]), T.Bool([false, false]))
            .Throws("operands must be a numeric type (float or integer), got bool[2] and bool[2]");
        yield return Sample(op, "one operand", Covers.Error)
            .In(T.F32([1, 2]))
            .Throws("takes 2 operands, got 1");
    }

    private static IEnumerable<OpSample> Sub()
    {
        yield return Sample("sub", "f32 vector", Covers.Negative)
            .In(T.F32([1, -2, 3.5f, Tiny]), T.F32([0.5f, -0.25f, 3.5f, -Tiny]))
            .Expect(T.F32([0.5f, -1.75f, 0, 2 * Tiny]));
        yield return Sample("sub", "rank 0", Covers.Rank0 | Covers.Negative)
            .In(T.Scalar(2.0), T.Scalar(-0.5))
            .Expect(T.Scalar(2.5));
        yield return Sample("sub", "size-1 dims", Covers.Size1)
            .In(T.I64([1, 2], 1, 2, 1), T.I64([10, 20], 1, 2, 1))
            .Expect(T.I64([-9, -18], 1, 2, 1));
        yield return Sample("sub", "empty", Covers.Empty)
            .In(T.Empty(DType.I32, 0, 3), T.Empty(DType.I32, 0, 3))
            .Expect(T.Empty(DType.I32, 0, 3));
        // x − x is +0; −0 − 0 is −0.
        yield return Sample("sub", "inf, nan, signed zero", Covers.NonFinite)
            .In(T.F32([Inf, Inf, NaN, -Inf, -0f, 0, 0, -0f]), T.F32([Inf, -Inf, 0, 1, 0, 0, -0f, -0f]))
            .Expect(T.F32([NaN, Inf, NaN, -Inf, -0f, 0, 0, 0]));
        yield return Sample("sub", "i32 wraps", Covers.Negative)
            .In(T.I32([int.MinValue, int.MaxValue, 0]), T.I32([1, -1, int.MinValue]))
            .Expect(T.I32([int.MaxValue, int.MinValue, int.MinValue]));
        yield return Sample("sub", "i64 wraps and stays exact", Covers.Negative)
            .In(T.I64([long.MinValue, (1L << 53) + 1, -1]), T.I64([1, 1L << 53, long.MaxValue]))
            .Expect(T.I64([long.MaxValue, 1, long.MinValue]));
        // 1 − 2^-12 is halfway between 1 − 2^-11 and 1: ties to even gives 1. 2048 + 1 ties to 2048. −65536 overflows.
        yield return Sample("sub", "f16 rounding and overflow", Covers.Negative)
            .In(T.Of(DType.F16, [1, 2048, -F16Max, -F16Max]), T.Of(DType.F16, [Pow2(-12), -1, 32, 8]))
            .Expect(T.Of(DType.F16, [1, 2048, -DInf, -F16Max]));
        yield return Sample("sub", "bf16 rounding and overflow", Covers.Negative)
            .In(T.Of(DType.BF16, [1, 256, -Bf16Max]), T.Of(DType.BF16, [Pow2(-9), -1, Bf16Max]))
            .Expect(T.Of(DType.BF16, [1, 256, -DInf]));
        foreach (var error in BinaryErrors("sub"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Mul()
    {
        // Tiny · 0.5 = 2^-150 is halfway between 0 and the smallest subnormal: ties to even gives 0.
        yield return Sample("mul", "f32 vector", Covers.Negative)
            .In(T.F32([1.5f, -2, 3e38f, Tiny, 0.1f]), T.F32([-2, -0.5f, 10, 0.5f, 3]))
            .Expect(T.F32([-3, 1, Inf, 0, 0.1f * 3f]));
        yield return Sample("mul", "rank 0", Covers.Rank0 | Covers.Negative)
            .In(T.Scalar(-3), T.Scalar(7))
            .Expect(T.Scalar(-21));
        yield return Sample("mul", "size-1 dims", Covers.Size1)
            .In(T.F64([0.1], 1, 1), T.F64([3], 1, 1))
            .Expect(T.F64([0.30000000000000004], 1, 1));
        yield return Sample("mul", "empty", Covers.Empty)
            .In(T.Empty(DType.BF16, 2, 0), T.Empty(DType.BF16, 2, 0))
            .Expect(T.Empty(DType.BF16, 2, 0));
        yield return Sample("mul", "inf, nan, signed zero", Covers.NonFinite | Covers.Negative)
            .In(T.F32([0, Inf, -Inf, NaN, -0f, -1, 0, -0f]), T.F32([Inf, -2, -Inf, 0, 5, 0, -3, -0f]))
            .Expect(T.F32([NaN, -Inf, Inf, NaN, -0f, -0f, -0f, 0]));
        // 46341² = 2147488281 wraps to −2147479015, so −46341 · 46341 wraps to 2147479015.
        yield return Sample("mul", "i32 wraps", Covers.Negative)
            .In(T.I32([65536, int.MaxValue, int.MinValue, -46341]), T.I32([65536, 2, -1, 46341]))
            .Expect(T.I32([0, -2, int.MinValue, 2147479015]));
        // (2^63 − 1) · 3 = 2^64 + 2^63 − 3 ≡ 2^63 − 3.
        yield return Sample("mul", "i64 wraps", Covers.Negative)
            .In(T.I64([1L << 32, long.MaxValue, long.MinValue, -3]), T.I64([1L << 32, 3, -1, (1L << 53) + 1]))
            .Expect(T.I64([0, long.MaxValue - 2, long.MinValue, -(3L << 53) - 3]));
        // 256² overflows f16; 2^-12 · 2^-12 is the smallest subnormal; 2^-25 ties to 0; −2^-25 to −0.
        yield return Sample("mul", "f16 overflow and underflow signed zero", Covers.Negative)
            .In(T.Of(DType.F16, [256, Pow2(-12), Pow2(-13), -300, -Pow2(-13)]), T.Of(DType.F16, [256, Pow2(-12), Pow2(-12), 300, Pow2(-12)]))
            .Expect(T.Of(DType.F16, [DInf, F16Tiny, 0, -DInf, -0.0]));
        // (1 + 2^-7)² = 1 + 2^-6 + 2^-14 rounds to 1 + 2^-6.
        yield return Sample("mul", "bf16 rounding and overflow", Covers.None)
            .In(T.Of(DType.BF16, [1 + Pow2(-7), 1.5, Pow2(64)]), T.Of(DType.BF16, [1 + Pow2(-7), 1.5, Pow2(64)]))
            .Expect(T.Of(DType.BF16, [1 + Pow2(-6), 2.25, DInf]));
        foreach (var error in BinaryErrors("mul"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Div()
    {
        yield return Sample("div", "f32 vector", Covers.Negative)
            .In(T.F32([1, 7, -7, 1, 3e38f, Tiny]), T.F32([3, 2, 2, 0.1f, Tiny, 4]))
            .Expect(T.F32([1f / 3f, 3.5f, -3.5f, 1f / 0.1f, Inf, 0]));
        yield return Sample("div", "rank 0", Covers.Rank0)
            .In(T.Scalar(1.0), T.Scalar(3.0))
            .Expect(T.Scalar(0.3333333333333333));
        yield return Sample("div", "size-1 dims truncates", Covers.Size1 | Covers.Negative)
            .In(T.I32([7, -7, 7], 1, 3), T.I32([2, 2, -2], 1, 3))
            .Expect(T.I32([3, -3, -3], 1, 3));
        yield return Sample("div", "empty", Covers.Empty)
            .In(T.Empty(DType.I64, 0), T.Empty(DType.I64, 0))
            .Expect(T.Empty(DType.I64, 0));
        yield return Sample("div", "zero, inf, nan, signed zero", Covers.NonFinite | Covers.Negative)
            .In(T.F32([1, -1, 0, -0f, 1, -1, Inf, Inf, NaN, 0]), T.F32([0, 0, 0, 5, -Inf, Inf, Inf, -2, 1, -0f]))
            .Expect(T.F32([Inf, -Inf, NaN, -0f, -0f, -0f, NaN, -Inf, NaN, NaN]));
        // Integer division truncates toward zero (C, XLA), not toward −inf (Python's //).
        yield return Sample("div", "i32 truncates toward zero", Covers.Negative)
            .In(T.I32([7, -7, 7, -7, 0, -1, 1, int.MaxValue]), T.I32([2, 2, -2, -2, 5, 2, -2, int.MinValue]))
            .Expect(T.I32([3, -3, -3, 3, 0, 0, 0, 0]));
        // As documented (and as XLA does): x / 0 = −1 and INT_MIN / −1 = INT_MIN, never a trap.
        yield return Sample("div", "i32 by zero and overflow", Covers.Negative)
            .In(T.I32([5, -5, 0, int.MinValue, int.MinValue, int.MaxValue]), T.I32([0, 0, 0, -1, 1, -1]))
            .Expect(T.I32([-1, -1, -1, int.MinValue, int.MinValue, -int.MaxValue]));
        yield return Sample("div", "i64 by zero and overflow", Covers.Negative)
            .In(T.I64([long.MinValue, long.MaxValue, (1L << 53) + 1, 9, long.MinValue]), T.I64([-1, 2, 1, 0, 0]))
            .Expect(T.I64([long.MinValue, 4611686018427387903, (1L << 53) + 1, -1, -1]));
        // 1/2^-24 = 2^24 and 65504/0.5 overflow f16.
        yield return Sample("div", "f16 rounding and overflow", Covers.Negative)
            .In(T.Of(DType.F16, [1, 1, -1, F16Max]), T.Of(DType.F16, [3, F16Tiny, 0, 0.5]))
            .Expect(T.Of(DType.F16, [0.333251953125, DInf, -DInf, DInf]));
        yield return Sample("div", "bf16", Covers.Negative)
            .In(T.Of(DType.BF16, [1, -1]), T.Of(DType.BF16, [3, 7]))
            .Expect(T.Of(DType.BF16, [0.333984375, -0.142578125]));
        foreach (var error in BinaryErrors("div"))
        {
            yield return error;
        }
    }
}
