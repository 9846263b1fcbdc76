using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// Unary math: neg, abs, sign, exp, log, log1p, expm1, sqrt, rsqrt, reciprocal, sin, cos, tanh, logistic, erf,
/// floor, ceil. Expectations are literals (f16 and bf16 ones rounded by hand, ties noted) or System.Math / MathF
/// evaluated in double and rounded once to f32 — never the op's own code. Samples named "signed zero" are also
/// checked bit for bit on zeros by <see cref="SignedZeroTests"/>.
/// </summary>
public sealed class UnarySamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;
    private const double DInf = double.PositiveInfinity;
    private const double DNaN = double.NaN;

    /// <summary>The largest finite f16 and bf16 values, and the smallest positive subnormals.</summary>
    private const double F16Max = 65504;
    private const double Bf16Max = 3.3895313892515355e38;
    private static readonly double F16Tiny = Math.ScaleB(1.0, -24);
    private static readonly double Bf16Tiny = Math.ScaleB(1.0, -133);

    /// <summary>f(x) in double, rounded once to f32 (the precision the op promises for f32).</summary>
    private static HostTensor F32Of(Func<double, double> f, float[] x, params int[] dims) =>
        T.F32(Array.ConvertAll(x, v => (float)f(v)), dims);

    private static OpSample Unary(string op, string name, Covers covers, HostTensor x) => Sample(op, name, covers).In(x);

    public override IEnumerable<OpSample> Samples() =>
    [
        .. Neg(), .. Abs(), .. Sign(), .. Exp(), .. Log(), .. Log1p(), .. Expm1(), .. Sqrt(), .. Rsqrt(),
        .. Reciprocal(), .. Sin(), .. Cos(), .. Tanh(), .. Logistic(), .. Erf(), .. Floor(), .. Ceil(),
    ];

    /// <summary>Error samples every float-only unary op shares.</summary>
    private static IEnumerable<OpSample> FloatOnlyErrors(string op)
    {
        yield return Unary(op, "i32 rejected", Covers.Error, T.I32([1, -2, 3]))
            .Throws("operand must be a float type (f16, bf16, f32, f64), got i32[3]");
        yield return Unary(op, "bool rejected", Covers.Error, T.Bool([true], 1))
            .Throws("operand must be a float type (f16, bf16, f32, f64), got bool[1]");
        yield return Sample(op, "two operands", Covers.Error)
            .In(T.F32([1, 2]), T.F32([1, 2]))
            .Throws("takes 1 operand, got 2");
    }

    private static IEnumerable<OpSample> Neg()
    {
        yield return Unary("neg", "f32 vector", Covers.Negative, T.F32([1, -2.5f, 3e38f, -1e-45f]))
            .Expect(T.F32([-1, 2.5f, -3e38f, 1e-45f]));
        yield return Unary("neg", "rank 0", Covers.Rank0 | Covers.Negative, T.Scalar(-0.25))
            .Expect(T.Scalar(0.25));
        yield return Unary("neg", "size-1 dims i32", Covers.Size1, T.I32([1, -2, 0], 1, 1, 3))
            .Expect(T.I32([-1, 2, 0], 1, 1, 3));
        yield return Unary("neg", "empty", Covers.Empty, T.Empty(DType.F16, 0, 3))
            .Expect(T.Empty(DType.F16, 0, 3));
        yield return Unary("neg", "nan, inf, signed zero", Covers.NonFinite, T.F32([NaN, Inf, -Inf, 0, -0f]))
            .Expect(T.F32([NaN, -Inf, Inf, -0f, 0]));
        yield return Unary("neg", "i32 wraps", Covers.Negative, T.I32([int.MinValue, int.MaxValue, -1]))
            .Expect(T.I32([int.MinValue, -int.MaxValue, 1]));
        yield return Unary("neg", "i64 wraps", Covers.Negative, T.I64([long.MinValue, long.MaxValue, (1L << 53) + 1]))
            .Expect(T.I64([long.MinValue, -long.MaxValue, -(1L << 53) - 1]));
        yield return Unary("neg", "f16 extremes signed zero", Covers.Negative,
                T.Of(DType.F16, [F16Max, -F16Tiny, 0], 3))
            .Expect(T.Of(DType.F16, [-F16Max, F16Tiny, -0.0], 3));
        yield return Unary("neg", "bf16", Covers.Negative, T.Of(DType.BF16, [1.5, -Bf16Max, Bf16Tiny]))
            .Expect(T.Of(DType.BF16, [-1.5, Bf16Max, -Bf16Tiny]));
        yield return Unary("neg", "bool rejected", Covers.Error, T.Bool([true, false]))
            .Throws("operand must be a numeric type (float or integer), got bool[2]");
        yield return Sample("neg", "no operands", Covers.Error).Throws("takes 1 operand, got 0");
    }

    private static IEnumerable<OpSample> Abs()
    {
        yield return Unary("abs", "f32 vector", Covers.Negative, T.F32([-1, 2.5f, -3e38f, -1e-45f]))
            .Expect(T.F32([1, 2.5f, 3e38f, 1e-45f]));
        yield return Unary("abs", "rank 0 i64", Covers.Rank0 | Covers.Negative, T.Scalar(-5L))
            .Expect(T.Scalar(5L));
        yield return Unary("abs", "size-1 dims", Covers.Size1, T.F64([-0.5, 0.5], 2, 1))
            .Expect(T.F64([0.5, 0.5], 2, 1));
        yield return Unary("abs", "empty", Covers.Empty, T.Empty(DType.I32, 2, 0))
            .Expect(T.Empty(DType.I32, 2, 0));
        yield return Unary("abs", "nan, inf, signed zero", Covers.NonFinite, T.F32([NaN, -Inf, Inf, -0f, 0]))
            .Expect(T.F32([NaN, Inf, Inf, 0, 0]));
        // |INT_MIN| does not fit: it wraps to INT_MIN, as in two's complement hardware, PyTorch and XLA.
        yield return Unary("abs", "i32 min wraps", Covers.Negative, T.I32([int.MinValue, int.MinValue + 1, 0, 7]))
            .Expect(T.I32([int.MinValue, int.MaxValue, 0, 7]));
        yield return Unary("abs", "i64 min wraps", Covers.Negative, T.I64([long.MinValue, -(1L << 53) - 1]))
            .Expect(T.I64([long.MinValue, (1L << 53) + 1]));
        yield return Unary("abs", "f16 signed zero", Covers.Negative, T.Of(DType.F16, [-F16Max, -F16Tiny, -0.0]))
            .Expect(T.Of(DType.F16, [F16Max, F16Tiny, 0.0]));
        yield return Unary("abs", "bf16", Covers.Negative, T.Of(DType.BF16, [-Bf16Max, -Bf16Tiny, 3]))
            .Expect(T.Of(DType.BF16, [Bf16Max, Bf16Tiny, 3]));
        yield return Unary("abs", "bool rejected", Covers.Error, T.Bool([true, false]))
            .Throws("operand must be a numeric type (float or integer), got bool[2]");
    }

    private static IEnumerable<OpSample> Sign()
    {
        yield return Unary("sign", "f32 vector", Covers.Negative, T.F32([-3, 2.5f, -1e-45f, 1e-45f, 0]))
            .Expect(T.F32([-1, 1, -1, 1, 0]));
        yield return Unary("sign", "rank 0", Covers.Rank0 | Covers.Negative, T.Scalar(-7.0))
            .Expect(T.Scalar(-1.0));
        yield return Unary("sign", "size-1 dims i32", Covers.Size1 | Covers.Negative, T.I32([int.MinValue, 0, int.MaxValue], 1, 3))
            .Expect(T.I32([-1, 0, 1], 1, 3));
        yield return Unary("sign", "empty", Covers.Empty, T.Empty(DType.F32, 0))
            .Expect(T.Empty(DType.F32, 0));
        // NaN stays NaN (XLA, NumPy) and ±0 keep their sign.
        yield return Unary("sign", "nan, inf, signed zero", Covers.NonFinite, T.F32([NaN, Inf, -Inf, -0f, 0]))
            .Expect(T.F32([NaN, 1, -1, -0f, 0]));
        yield return Unary("sign", "i64", Covers.Negative, T.I64([long.MinValue, -1, 0, 2, long.MaxValue]))
            .Expect(T.I64([-1, -1, 0, 1, 1]));
        yield return Unary("sign", "bf16 extremes signed zero", Covers.Negative, T.Of(DType.BF16, [-Bf16Tiny, Bf16Max, -0.0]))
            .Expect(T.Of(DType.BF16, [-1, 1, -0.0]));
        yield return Unary("sign", "f16 subnormal", Covers.Negative, T.Of(DType.F16, [-F16Tiny, F16Tiny, -F16Max]))
            .Expect(T.Of(DType.F16, [-1, 1, -1]));
        yield return Unary("sign", "bool rejected", Covers.Error, T.Bool([true]))
            .Throws("operand must be a numeric type (float or integer), got bool[]");
    }

    private static IEnumerable<OpSample> Exp()
    {
        float[] x = [-1, 0, 1, 0.5f, -20, 88, 89];
        yield return Unary("exp", "f32 vector, overflow at 89", Covers.Negative, T.F32(x))
            .Expect(F32Of(Math.Exp, x));
        yield return Unary("exp", "rank 0", Covers.Rank0 | Covers.Negative, T.Scalar(-2.0))
            .Expect(T.Scalar(0.1353352832366127)).Tolerance(1e-15, 0);
        yield return Unary("exp", "size-1 dims", Covers.Size1, T.F32([-0.5f, 0.25f, 2], 3, 1))
            .Expect(F32Of(Math.Exp, [-0.5f, 0.25f, 2], 3, 1));
        yield return Unary("exp", "empty", Covers.Empty, T.Empty(DType.F64, 0, 4))
            .Expect(T.Empty(DType.F64, 0, 4));
        yield return Unary("exp", "nan, inf, signed zero", Covers.NonFinite, T.F32([NaN, Inf, -Inf, -0f]))
            .Expect(T.F32([NaN, Inf, 0, 1]));
        // e^11 = 59874.1 → 59872 (spacing 32); e^12 overflows f16; e^-17 = 4.1e-8 rounds up to the subnormal 2^-24.
        yield return Unary("exp", "f16 overflow and subnormal", Covers.Negative, T.Of(DType.F16, [11, 12, -17, 1]))
            .Expect(T.Of(DType.F16, [59872, DInf, F16Tiny, 2.71875]));
        yield return Unary("exp", "bf16", Covers.Negative, T.Of(DType.BF16, [1, -1, 2, 89]))
            .Expect(T.Of(DType.BF16, [2.71875, 0.3671875, 7.375, DInf]));
        foreach (var error in FloatOnlyErrors("exp"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Log()
    {
        float[] x = [0.5f, 1, 2, 10, 1e-45f, 3e38f, -1];
        yield return Unary("log", "f32 vector, negative is nan", Covers.Negative, T.F32(x))
            .Expect(F32Of(Math.Log, x));
        yield return Unary("log", "rank 0", Covers.Rank0, T.Scalar(10.0))
            .Expect(T.Scalar(2.302585092994046)).Tolerance(1e-15, 0);
        yield return Unary("log", "size-1 dims", Covers.Size1, T.F32([4], 1, 1))
            .Expect(F32Of(Math.Log, [4], 1, 1));
        yield return Unary("log", "empty", Covers.Empty, T.Empty(DType.F16, 3, 0))
            .Expect(T.Empty(DType.F16, 3, 0));
        yield return Unary("log", "zero, nan, inf", Covers.NonFinite | Covers.Negative, T.F32([0, -0f, -1, Inf, -Inf, NaN]))
            .Expect(T.F32([-Inf, -Inf, NaN, Inf, NaN, NaN]));
        // ln 65504 = 11.0899 → 11.09375 (spacing 2^-7); ln 2^-24 = -16.6355 → -16.640625.
        yield return Unary("log", "f16", Covers.None, T.Of(DType.F16, [2, 0.5, F16Max, F16Tiny]))
            .Expect(T.Of(DType.F16, [0.693359375, -0.693359375, 11.09375, -16.640625]));
        yield return Unary("log", "bf16", Covers.None, T.Of(DType.BF16, [2, Bf16Max, Bf16Tiny]))
            .Expect(T.Of(DType.BF16, [0.69140625, 88.5, -92.0]));
        foreach (var error in FloatOnlyErrors("log"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Log1p()
    {
        // Where log(1 + x) would lose every digit: log1p(1e-10) = 1e-10 − 5e-21.
        yield return Unary("log1p", "f64 tiny arguments", Covers.Negative, T.F64([1e-10, -1e-10, 1, -0.5, 1e-300]))
            .Expect(T.F64([9.999999999500001e-11, -1.00000000005e-10, 0.6931471805599453, -0.6931471805599453, 1e-300]))
            .Tolerance(1e-15, 0);
        double small = 1e-7f;
        yield return Unary("log1p", "rank 0 f32", Covers.Rank0, T.Scalar(1e-7f))
            .Expect(T.Scalar((float)(small - small * small / 2)));
        yield return Unary("log1p", "size-1 dims", Covers.Size1 | Covers.Negative, T.F32([-0.75f, 3], 1, 2))
            .Expect(T.F32([(float)Math.Log(0.25), (float)Math.Log(4)], 1, 2));
        yield return Unary("log1p", "empty", Covers.Empty, T.Empty(DType.F32, 0))
            .Expect(T.Empty(DType.F32, 0));
        yield return Unary("log1p", "minus one, nan, inf, signed zero", Covers.NonFinite | Covers.Negative,
                T.F32([-1, -2, Inf, -Inf, NaN, -0f, 0]))
            .Expect(T.F32([-Inf, NaN, Inf, NaN, NaN, -0f, 0]));
        yield return Unary("log1p", "f16", Covers.Negative, T.Of(DType.F16, [Math.ScaleB(1.0, -10), -0.5, F16Max]))
            .Expect(T.Of(DType.F16, [0.0009760856628417969, -0.693359375, 11.09375]));
        // bf16: log1p(2^-10) = 2^-10 − 2^-21 rounds back to 2^-10.
        yield return Unary("log1p", "bf16", Covers.Negative, T.Of(DType.BF16, [Math.ScaleB(1.0, -10), -0.5, 3]))
            .Expect(T.Of(DType.BF16, [0.0009765625, -0.69140625, 1.3828125]));
        foreach (var error in FloatOnlyErrors("log1p"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Expm1()
    {
        // 1e-5 sits at the edge of the reference's Taylor branch.
        yield return Unary("expm1", "f64 tiny arguments", Covers.Negative, T.F64([1e-10, -1e-10, 1, -1, 1e-5, -40]))
            .Expect(T.F64([1.00000000005e-10, -9.999999999500001e-11, 1.718281828459045, -0.6321205588285577, 1.0000050000166668e-05, -1]))
            .Tolerance(1e-15, 0);
        double small = -1e-7f;
        yield return Unary("expm1", "rank 0 f32", Covers.Rank0 | Covers.Negative, T.Scalar(-1e-7f))
            .Expect(T.Scalar((float)(small + small * small / 2)));
        yield return Unary("expm1", "size-1 dims", Covers.Size1, T.F32([0.5f, 2], 1, 1, 2))
            .Expect(F32Of(x => Math.Exp(x) - 1, [0.5f, 2], 1, 1, 2));
        yield return Unary("expm1", "empty", Covers.Empty, T.Empty(DType.BF16, 0, 2))
            .Expect(T.Empty(DType.BF16, 0, 2));
        // expm1(−0) = −0 (C99 F.10.3.3, PyTorch, XLA).
        yield return Unary("expm1", "nan, inf, signed zero", Covers.NonFinite | Covers.Negative, T.F32([Inf, -Inf, NaN, -0f, 0, 89]))
            .Expect(T.F32([Inf, -1, NaN, -0f, 0, Inf]));
        yield return Unary("expm1", "f64 signed zero", Covers.None, T.F64([-0.0, 0.0]))
            .Expect(T.F64([-0.0, 0.0]));
        yield return Unary("expm1", "f16", Covers.Negative, T.Of(DType.F16, [11, -20, Math.ScaleB(1.0, -20), 0.5]))
            .Expect(T.Of(DType.F16, [59872, -1, Math.ScaleB(1.0, -20), 0.64892578125]));
        foreach (var error in FloatOnlyErrors("expm1"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Sqrt()
    {
        yield return Unary("sqrt", "f32 vector", Covers.Negative, T.F32([4, 2, 0.25f, 1e-45f, 3e38f, -1]))
            .Expect(T.F32([2, MathF.Sqrt(2), 0.5f, MathF.Sqrt(1e-45f), MathF.Sqrt(3e38f), NaN]));
        yield return Unary("sqrt", "rank 0", Covers.Rank0, T.Scalar(2.0))
            .Expect(T.Scalar(1.4142135623730951));
        yield return Unary("sqrt", "size-1 dims", Covers.Size1, T.F64([9, 0.01, 1e-320], 1, 3))
            .Expect(T.F64([3, 0.1, Math.Sqrt(1e-320)], 1, 3));
        yield return Unary("sqrt", "empty", Covers.Empty, T.Empty(DType.F32, 2, 0))
            .Expect(T.Empty(DType.F32, 2, 0));
        // sqrt(−0) = −0 (IEEE 754).
        yield return Unary("sqrt", "nan, inf, signed zero", Covers.NonFinite | Covers.Negative, T.F32([Inf, -Inf, NaN, -0f, 0, -1e-45f]))
            .Expect(T.F32([Inf, NaN, NaN, -0f, 0, NaN]));
        // √65504 = 255.93749... just under the midpoint 255.9375 of 255.875 and 256.
        yield return Unary("sqrt", "f16 near a tie", Covers.None, T.Of(DType.F16, [2, F16Max, F16Tiny]))
            .Expect(T.Of(DType.F16, [1.4140625, 255.875, 0.000244140625]));
        yield return Unary("sqrt", "bf16", Covers.None, T.Of(DType.BF16, [2, 3, Bf16Tiny]))
            .Expect(T.Of(DType.BF16, [1.4140625, 1.734375, 9.582060215814273e-21]));
        foreach (var error in FloatOnlyErrors("sqrt"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Rsqrt()
    {
        yield return Unary("rsqrt", "f32 vector", Covers.Negative, T.F32([4, 2, 0.25f, 1e-45f, -1]))
            .Expect(T.F32([0.5f, (float)0.70710678118654752, 2, (float)(1 / Math.Sqrt(1e-45f)), NaN]));
        yield return Unary("rsqrt", "rank 0", Covers.Rank0, T.Scalar(0.25))
            .Expect(T.Scalar(2.0));
        yield return Unary("rsqrt", "size-1 dims", Covers.Size1, T.F64([16, 1e-300], 2, 1))
            .Expect(T.F64([0.25, 1e150], 2, 1)).Tolerance(1e-15, 0);
        yield return Unary("rsqrt", "empty", Covers.Empty, T.Empty(DType.F16, 0))
            .Expect(T.Empty(DType.F16, 0));
        // rsqrt(±0) = ±inf (IEEE 754 rSqrt).
        yield return Unary("rsqrt", "zero, nan, inf signed zero", Covers.NonFinite | Covers.Negative, T.F32([0, -0f, Inf, -Inf, NaN]))
            .Expect(T.F32([Inf, -Inf, 0, NaN, NaN]));
        yield return Unary("rsqrt", "f16", Covers.None, T.Of(DType.F16, [F16Tiny, F16Max, 3]))
            .Expect(T.Of(DType.F16, [4096, 0.00390625, 0.5771484375]));
        foreach (var error in FloatOnlyErrors("rsqrt"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Reciprocal()
    {
        // 1/1e-45 overflows f32; 1/3e38 is subnormal.
        yield return Unary("reciprocal", "f32 vector", Covers.Negative, T.F32([3, -4, 0.1f, 1e-45f, 3e38f]))
            .Expect(T.F32([1f / 3f, -0.25f, 1f / 0.1f, Inf, 1f / 3e38f]));
        yield return Unary("reciprocal", "rank 0", Covers.Rank0 | Covers.Negative, T.Scalar(-0.5))
            .Expect(T.Scalar(-2.0));
        yield return Unary("reciprocal", "size-1 dims", Covers.Size1, T.F64([8, 3], 1, 2, 1))
            .Expect(T.F64([0.125, 1.0 / 3], 1, 2, 1));
        yield return Unary("reciprocal", "empty", Covers.Empty, T.Empty(DType.F64, 1, 0))
            .Expect(T.Empty(DType.F64, 1, 0));
        yield return Unary("reciprocal", "zero, nan, inf signed zero", Covers.NonFinite | Covers.Negative, T.F32([0, -0f, Inf, -Inf, NaN]))
            .Expect(T.F32([Inf, -Inf, 0, -0f, NaN]));
        // 1/65504 is subnormal in f16 (1.52587890625e-05 = 256 · 2^-24); 1/2^-24 and 1/2^-16 overflow.
        yield return Unary("reciprocal", "f16", Covers.Negative, T.Of(DType.F16, [3, -F16Max, F16Tiny, Math.ScaleB(1.0, -16)]))
            .Expect(T.Of(DType.F16, [0.333251953125, -1.52587890625e-05, DInf, DInf]));
        yield return Unary("reciprocal", "bf16", Covers.Negative, T.Of(DType.BF16, [3, -7]))
            .Expect(T.Of(DType.BF16, [0.333984375, -0.142578125]));
        foreach (var error in FloatOnlyErrors("reciprocal"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Sin()
    {
        float[] x = [0.5f, -1, MathF.PI, 100, -1e-45f, 1e30f];
        yield return Unary("sin", "f32 vector", Covers.Negative, T.F32(x))
            .Expect(F32Of(Math.Sin, x));
        // A huge argument needs exact range reduction.
        yield return Unary("sin", "rank 0 huge argument", Covers.Rank0, T.Scalar(1e22))
            .Expect(T.Scalar(-0.8522008497671888)).Tolerance(1e-15, 0);
        yield return Unary("sin", "size-1 dims", Covers.Size1, T.F32([-0.25f, 0.25f], 1, 2))
            .Expect(F32Of(Math.Sin, [-0.25f, 0.25f], 1, 2));
        yield return Unary("sin", "empty", Covers.Empty, T.Empty(DType.F64, 0))
            .Expect(T.Empty(DType.F64, 0));
        yield return Unary("sin", "nan, inf, signed zero", Covers.NonFinite, T.F32([Inf, -Inf, NaN, -0f, 0]))
            .Expect(T.F32([NaN, NaN, NaN, -0f, 0]));
        // 3.140625 is π in f16; sin of it is 0.0009675.
        yield return Unary("sin", "f16", Covers.Negative, T.Of(DType.F16, [1, -2, 3.140625]))
            .Expect(T.Of(DType.F16, [0.84130859375, -0.9091796875, 0.0009675025939941406]));
        yield return Unary("sin", "bf16", Covers.Negative, T.Of(DType.BF16, [0.5, -1]))
            .Expect(T.Of(DType.BF16, [0.478515625, -0.83984375]));
        foreach (var error in FloatOnlyErrors("sin"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Cos()
    {
        float[] x = [0.5f, -1, MathF.PI, 100, -1e-45f, 1e30f];
        yield return Unary("cos", "f32 vector", Covers.Negative, T.F32(x))
            .Expect(F32Of(Math.Cos, x));
        yield return Unary("cos", "rank 0 huge argument", Covers.Rank0, T.Scalar(1e22))
            .Expect(T.Scalar(0.523214785395139)).Tolerance(1e-15, 0);
        yield return Unary("cos", "size-1 dims", Covers.Size1, T.F32([-0.25f, 0.25f], 2, 1))
            .Expect(F32Of(Math.Cos, [-0.25f, 0.25f], 2, 1));
        yield return Unary("cos", "empty", Covers.Empty, T.Empty(DType.F32, 0, 0))
            .Expect(T.Empty(DType.F32, 0, 0));
        yield return Unary("cos", "nan, inf, zeros", Covers.NonFinite, T.F32([Inf, -Inf, NaN, -0f, 0]))
            .Expect(T.F32([NaN, NaN, NaN, 1, 1]));
        yield return Unary("cos", "f16", Covers.Negative, T.Of(DType.F16, [1, -2, 3.140625]))
            .Expect(T.Of(DType.F16, [0.54052734375, -0.416259765625, -1]));
        yield return Unary("cos", "bf16", Covers.Negative, T.Of(DType.BF16, [0.5, -1]))
            .Expect(T.Of(DType.BF16, [0.87890625, 0.5390625]));
        foreach (var error in FloatOnlyErrors("cos"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Tanh()
    {
        float[] x = [-0.5f, 0.5f, 1, -3, 20, -1e-45f];
        yield return Unary("tanh", "f32 vector", Covers.Negative, T.F32(x))
            .Expect(F32Of(Math.Tanh, x));
        yield return Unary("tanh", "rank 0", Covers.Rank0, T.Scalar(0.5))
            .Expect(T.Scalar(0.46211715726000974)).Tolerance(1e-15, 0);
        yield return Unary("tanh", "size-1 dims", Covers.Size1 | Covers.Negative, T.F64([-1, 1e-300], 1, 2, 1))
            .Expect(T.F64([-0.7615941559557649, 1e-300], 1, 2, 1)).Tolerance(1e-15, 0);
        yield return Unary("tanh", "empty", Covers.Empty, T.Empty(DType.BF16, 4, 0))
            .Expect(T.Empty(DType.BF16, 4, 0));
        yield return Unary("tanh", "nan, inf, signed zero", Covers.NonFinite, T.F32([Inf, -Inf, NaN, -0f, 0]))
            .Expect(T.F32([1, -1, NaN, -0f, 0]));
        yield return Unary("tanh", "f16", Covers.Negative, T.Of(DType.F16, [1, -2, 10, Math.ScaleB(1.0, -20)]))
            .Expect(T.Of(DType.F16, [0.76171875, -0.9638671875, 1, Math.ScaleB(1.0, -20)]));
        yield return Unary("tanh", "bf16", Covers.Negative, T.Of(DType.BF16, [0.5, -3]))
            .Expect(T.Of(DType.BF16, [0.462890625, -0.99609375]));
        foreach (var error in FloatOnlyErrors("tanh"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Logistic()
    {
        // σ(−100) = e^-100 / (1 + e^-100) is subnormal in f32; σ(20) and σ(100) round to 1.
        yield return Unary("logistic", "f32 vector", Covers.Negative, T.F32([-1, 0, 1, -100, 100, 20]))
            .Expect(T.F32([(float)0.2689414213699951, 0.5f, (float)0.7310585786300049, (float)3.720075976020836e-44, 1, 1]));
        yield return Unary("logistic", "rank 0", Covers.Rank0, T.Scalar(0.0))
            .Expect(T.Scalar(0.5));
        yield return Unary("logistic", "size-1 dims", Covers.Size1 | Covers.Negative, T.F64([1, -1, -100], 1, 3))
            .Expect(T.F64([0.7310585786300049, 0.2689414213699951, 3.720075976020836e-44], 1, 3)).Tolerance(1e-15, 0);
        yield return Unary("logistic", "empty", Covers.Empty, T.Empty(DType.F32, 0, 1))
            .Expect(T.Empty(DType.F32, 0, 1));
        yield return Unary("logistic", "nan, inf, signed zero", Covers.NonFinite, T.F32([Inf, -Inf, NaN, -0f]))
            .Expect(T.F32([1, 0, NaN, 0.5f]));
        // σ(−10) = 4.54e-5 is subnormal in f16; σ(−20) = 2.1e-9 underflows to 0.
        yield return Unary("logistic", "f16", Covers.Negative, T.Of(DType.F16, [-20, 20, 1, -10]))
            .Expect(T.Of(DType.F16, [0, 1, 0.73095703125, 4.5418739318847656e-05]));
        yield return Unary("logistic", "bf16", Covers.Negative, T.Of(DType.BF16, [1, -100]))
            .Expect(T.Of(DType.BF16, [0.73046875, 0]));
        foreach (var error in FloatOnlyErrors("logistic"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Erf()
    {
        // Reference values of erf (Abramowitz & Stegun table 7.1, to double precision).
        yield return Unary("erf", "f64 values", Covers.Negative, T.F64([0.5, 1, -1, 2, 0.1, 1e-3, -5, 4]))
            .Expect(T.F64([0.5204998778130465, 0.8427007929497149, -0.8427007929497149, 0.9953222650189527,
                0.1124629160182849, 0.0011283787909692365, -0.9999999999984626, 0.9999999845827421]))
            .Tolerance(1e-15, 0);
        // Where a Maclaurin series cancels badly (it lost 190 ulp at 2.9), and both sides of the switch to erfc.
        yield return Unary("erf", "f64 where the series cancels", Covers.Negative, T.F64([1.2, 1.25, 1.3, 2.9, 3, -3, 3.5]))
            .Expect(T.F64([0.9103139782296353, 0.9229001282564582, 0.9340079449406524, 0.9999589021219005,
                0.9999779095030014, -0.9999779095030014, 0.9999992569016276]))
            .Tolerance(1e-15, 0);
        yield return Unary("erf", "rank 0 f32", Covers.Rank0, T.Scalar(0.5f))
            .Expect(T.Scalar((float)0.5204998778130465));
        yield return Unary("erf", "size-1 dims", Covers.Size1 | Covers.Negative, T.F32([-1, 2], 2, 1))
            .Expect(T.F32([(float)-0.8427007929497149, (float)0.9953222650189527], 2, 1));
        yield return Unary("erf", "empty", Covers.Empty, T.Empty(DType.F64, 3, 0, 2))
            .Expect(T.Empty(DType.F64, 3, 0, 2));
        // erf(−0) = −0 (C99 F.10.5.1).
        yield return Unary("erf", "nan, inf, signed zero", Covers.NonFinite, T.F32([Inf, -Inf, NaN, -0f, 0]))
            .Expect(T.F32([1, -1, NaN, -0f, 0]));
        yield return Unary("erf", "f16", Covers.Negative, T.Of(DType.F16, [0.5, -1, 2, 4]))
            .Expect(T.Of(DType.F16, [0.5205078125, -0.8427734375, 0.9951171875, 1]));
        // 0.1 is 0.10009765625 in bf16, and erf of that rounds to 0.11279296875.
        yield return Unary("erf", "bf16", Covers.Negative, T.Of(DType.BF16, [0.5, -1, 0.10009765625]))
            .Expect(T.Of(DType.BF16, [0.51953125, -0.84375, 0.11279296875]));
        foreach (var error in FloatOnlyErrors("erf"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Floor()
    {
        // 8388609 = 2^23 + 1 is already an integer; the subnormal −1e-45 floors to −1.
        yield return Unary("floor", "f32 vector", Covers.Negative, T.F32([-0.5f, 0.5f, -1.5f, 1.5f, -2, 8388609, -1e-45f, 2.9999998f]))
            .Expect(T.F32([-1, 0, -2, 1, -2, 8388609, -1, 2]));
        yield return Unary("floor", "rank 0", Covers.Rank0 | Covers.Negative, T.Scalar(-2.5))
            .Expect(T.Scalar(-3.0));
        yield return Unary("floor", "size-1 dims", Covers.Size1, T.F64([4503599627370495.5, 0.99999999999999989], 1, 2))
            .Expect(T.F64([4503599627370495, 0], 1, 2));
        yield return Unary("floor", "empty", Covers.Empty, T.Empty(DType.F32, 0, 5))
            .Expect(T.Empty(DType.F32, 0, 5));
        yield return Unary("floor", "nan, inf, signed zero", Covers.NonFinite, T.F32([NaN, Inf, -Inf, -0f, 0, 0.5f]))
            .Expect(T.F32([NaN, Inf, -Inf, -0f, 0, 0]));
        yield return Unary("floor", "f16", Covers.Negative, T.Of(DType.F16, [-0.5, F16Max, -2.75, F16Tiny, -F16Tiny]))
            .Expect(T.Of(DType.F16, [-1, F16Max, -3, 0, -1]));
        yield return Unary("floor", "bf16", Covers.Negative, T.Of(DType.BF16, [-0.5, 1.5, -Bf16Max]))
            .Expect(T.Of(DType.BF16, [-1, 1, -Bf16Max]));
        foreach (var error in FloatOnlyErrors("floor"))
        {
            yield return error;
        }
    }

    private static IEnumerable<OpSample> Ceil()
    {
        yield return Unary("ceil", "f32 vector", Covers.Negative, T.F32([-1.5f, 0.5f, 1.5f, -2, 8388609, 1e-45f, 2.0000002f]))
            .Expect(T.F32([-1, 1, 2, -2, 8388609, 1, 3]));
        yield return Unary("ceil", "rank 0", Covers.Rank0 | Covers.Negative, T.Scalar(-2.5))
            .Expect(T.Scalar(-2.0));
        yield return Unary("ceil", "size-1 dims", Covers.Size1, T.F64([4503599627370495.5, 1.0000000000000002], 2, 1))
            .Expect(T.F64([4503599627370496, 2], 2, 1));
        yield return Unary("ceil", "empty", Covers.Empty, T.Empty(DType.F16, 0))
            .Expect(T.Empty(DType.F16, 0));
        // ceil(−0.5) is −0 (IEEE 754 roundToIntegralTowardPositive keeps the sign).
        yield return Unary("ceil", "nan, inf, signed zero", Covers.NonFinite | Covers.Negative, T.F32([NaN, Inf, -Inf, -0f, 0, -0.5f, -1e-45f]))
            .Expect(T.F32([NaN, Inf, -Inf, -0f, 0, -0f, -0f]));
        yield return Unary("ceil", "f16 signed zero", Covers.Negative, T.Of(DType.F16, [-0.5, F16Max, -2.75, F16Tiny, -F16Tiny]))
            .Expect(T.Of(DType.F16, [-0.0, F16Max, -2, 1, -0.0]));
        yield return Unary("ceil", "bf16", Covers.Negative, T.Of(DType.BF16, [-0.5, 1.5, Bf16Tiny]))
            .Expect(T.Of(DType.BF16, [-0.0, 2, 1]));
        foreach (var error in FloatOnlyErrors("ceil"))
        {
            yield return error;
        }
    }
}
