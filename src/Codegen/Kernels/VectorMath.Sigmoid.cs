using System.Runtime.CompilerServices;

namespace GraphDL.Codegen.Kernels;

// tanh and the logistic function, both from exp of a non-positive or non-negative argument so nothing overflows
// into a NaN. The generic parameter L is the lane type (IFloatLanes).
public static partial class VectorMath
{
    // Cephes tanhf.c (S. L. Moshier): tanh(x) ≈ x + x³·P(x²) for |x| < 0.625, where 1 − 2/(e^2|x| + 1) would
    // lose relative accuracy to cancellation.
    private const float TanhSmallLimit = 0.625f;
    private const float TanhP0 = -5.70498872745e-3f;
    private const float TanhP1 = 2.06390887954e-2f;
    private const float TanhP2 = -5.37397155531e-2f;
    private const float TanhP3 = 1.33314422036e-1f;
    private const float TanhP4 = -3.33332819422e-1f;

    private const int SignBit = unchecked((int)0x80000000);
    private const int AbsMask = 0x7FFFFFFF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec TanhCore<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        TVec a = L.And(x, L.SplatBits(AbsMask));

        // a + a·s·P(s) for small a, 1 − 2/(e^2a + 1) for the rest, both for |x| and then given x's sign (which keeps
        // tanh(−0) = −0). e^2a = +Inf past a ≈ 44 gives exactly 1; NaN stays NaN.
        TVec s = L.Multiply(a, a);
        TVec p = L.Fma(L.Splat(TanhP0), s, L.Splat(TanhP1));
        p = L.Fma(p, s, L.Splat(TanhP2));
        p = L.Fma(p, s, L.Splat(TanhP3));
        p = L.Fma(p, s, L.Splat(TanhP4));
        TVec small = L.Fma(L.Multiply(p, s), a, a);
        TVec e = ExpCore<TVec, L>(L.Add(a, a));
        TVec large = L.Subtract(L.Splat(1f), L.Divide(L.Splat(2f), L.Add(e, L.Splat(1f))));
        TVec result = L.Select(L.LessThan(a, L.Splat(TanhSmallLimit)), small, large);
        return L.Or(result, L.And(x, L.SplatBits(SignBit)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec LogisticCore<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        // t = e^−|x| never overflows: 1/(1 + t) for x ≥ 0, t/(1 + t) for x < 0, which keeps the tiny results of
        // large negative x (down to subnormals) instead of 1/(1 + Inf) = 0.
        TVec t = ExpCore<TVec, L>(L.Or(x, L.SplatBits(SignBit)));
        TVec numerator = L.Select(L.LessThan(x, L.Splat(0f)), t, L.Splat(1f));
        return L.Divide(numerator, L.Add(L.Splat(1f), t));
    }
}
