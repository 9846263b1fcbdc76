using System.Runtime.CompilerServices;

namespace GraphDL.Codegen.Kernels;

// log and log1p: x = 2^e·m with m in [√½, √2), f = m − 1 (exact), and Cephes' minimax polynomial for
// log(1 + f) = f − f²/2 + f³·P(f). The generic parameter L is the lane type (IFloatLanes).
public static partial class VectorMath
{
    // Cephes logf.c coefficients (S. L. Moshier): (log(1 + f) − f + f²/2)/f³ ≈ P(f) on √½ − 1 ≤ f < √2 − 1.
    private const float LogP0 = 7.0376836292e-2f;
    private const float LogP1 = -1.1514610310e-1f;
    private const float LogP2 = 1.1676998740e-1f;
    private const float LogP3 = -1.2420140846e-1f;
    private const float LogP4 = 1.4249322787e-1f;
    private const float LogP5 = -1.6668057665e-1f;
    private const float LogP6 = 2.0000714765e-1f;
    private const float LogP7 = -2.4999993993e-1f;
    private const float LogP8 = 3.3333331174e-1f;

    // Bits of √½ (rounded): subtracting them from x's bits puts the exponent boundary at √½, so the mantissa left
    // after the split lies in [√½, √2).
    private const int SqrtHalfBits = 0x3F3504F3;
    private const int MantissaMask = 0x007FFFFF;
    private const float SmallestNormal = 1.17549435e-38f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec LogCore<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        // Subnormals are scaled by 2^23 first so the exponent split sees a normal float.
        TVec subnormal = L.LessThan(x, L.Splat(SmallestNormal));
        TVec scaled = L.Select(subnormal, L.Multiply(x, L.Splat(8388608f)), x);
        TVec bits = L.SubtractInt(scaled, L.SplatBits(SqrtHalfBits));
        TVec e = L.IntToFloat(L.ShiftRightArithmeticInt(bits, 23));
        e = L.Select(subnormal, L.Subtract(e, L.Splat(23f)), e);
        TVec m = L.AddInt(L.And(bits, L.SplatBits(MantissaMask)), L.SplatBits(SqrtHalfBits));
        TVec f = L.Subtract(m, L.Splat(1f));
        TVec result = LogOnePlusReduced<TVec, L>(f, e, L.Splat(0f));

        result = L.Select(L.Equal(x, L.Splat(float.PositiveInfinity)), x, result);
        result = L.Select(L.Equal(x, L.Splat(0f)), L.Splat(float.NegativeInfinity), result);
        return L.Select(L.GreaterThanOrEqual(x, L.Splat(0f)), result, L.Splat(float.NaN));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Log1pCore<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        // u = 1 + x rounds; c = (x − (u − 1))/u is the first-order correction for that rounding (u − 1 is exact for
        // u ≥ ½, and for u < ½ the sum itself is exact and c = 0). u ≥ 2^-24 or u = 0, never subnormal.
        TVec u = L.Add(x, L.Splat(1f));
        TVec correction = L.Divide(L.Subtract(x, L.Subtract(u, L.Splat(1f))), u);
        TVec bits = L.SubtractInt(u, L.SplatBits(SqrtHalfBits));
        TVec e = L.IntToFloat(L.ShiftRightArithmeticInt(bits, 23));
        TVec m = L.AddInt(L.And(bits, L.SplatBits(MantissaMask)), L.SplatBits(SqrtHalfBits));
        TVec f = L.Subtract(m, L.Splat(1f));
        TVec result = LogOnePlusReduced<TVec, L>(f, e, correction);

        // Below 2^-25, log1p(x) rounds to x; this also keeps −0 and subnormals exact.
        TVec tiny = L.LessThan(L.And(x, L.SplatBits(0x7FFFFFFF)), L.Splat(2.98023224e-8f));
        result = L.Select(tiny, x, result);
        result = L.Select(L.Equal(x, L.Splat(float.PositiveInfinity)), x, result);
        result = L.Select(L.Equal(x, L.Splat(-1f)), L.Splat(float.NegativeInfinity), result);
        return L.Select(L.GreaterThanOrEqual(x, L.Splat(-1f)), result, L.Splat(float.NaN));
    }

    /// <summary>
    /// e·ln2 + log(1 + f) + correction, summed small terms first: f³·P(f) + correction + e·Ln2Lo − f²/2, then f,
    /// then e·Ln2Hi (exact product; Cephes' order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec LogOnePlusReduced<TVec, L>(TVec f, TVec e, TVec correction)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        TVec f2 = L.Multiply(f, f);
        TVec p = L.Fma(L.Splat(LogP0), f, L.Splat(LogP1));
        p = L.Fma(p, f, L.Splat(LogP2));
        p = L.Fma(p, f, L.Splat(LogP3));
        p = L.Fma(p, f, L.Splat(LogP4));
        p = L.Fma(p, f, L.Splat(LogP5));
        p = L.Fma(p, f, L.Splat(LogP6));
        p = L.Fma(p, f, L.Splat(LogP7));
        p = L.Fma(p, f, L.Splat(LogP8));
        TVec y = L.Fma(L.Multiply(p, f), f2, correction);
        y = L.Fma(e, L.Splat(Ln2Lo), y);
        y = L.Fma(f2, L.Splat(-0.5f), y);
        y = L.Add(f, y);
        return L.Fma(e, L.Splat(Ln2Hi), y);
    }
}
