using System.Runtime.CompilerServices;

namespace GraphDL.Codegen.Kernels;

// erf: an odd polynomial near 0 (relative accuracy, −0 kept) and 1 − erfc from an exp-based tail elsewhere.
// The generic parameter L is the lane type (IFloatLanes).
public static partial class VectorMath
{
    // Cephes erff.c (S. L. Moshier): erf(x) ≈ x·T(x²) for |x| < 1, evaluated as x + x·(T(x²) − 1) so the leading
    // term is exact and only the 0.128·x correction carries rounding error.
    private const float ErfSmallLimit = 1f;
    private const float ErfT0 = 7.853861353153693e-5f;
    private const float ErfT1 = -8.010193625184903e-4f;
    private const float ErfT2 = 5.188327685732524e-3f;
    private const float ErfT3 = -2.685381193529856e-2f;
    private const float ErfT4 = 1.128358514861418e-1f;
    private const float ErfT5 = -3.761262582423300e-1f;
    private const float ErfT6MinusOne = 0.128379165726710f;

    // erfc(a) = e^−a²·q·R(q) with q = 1/a, for 1 ≤ a ≤ 4. R(q) = erfc(1/q)·e^(1/q²)/q is fitted here (degree 7 on
    // q in [¼, 1], Lawson-iterated weighted least squares in 40-digit mpmath, weight e^−a²·q, so the error measured
    // is absolute error in erfc: 3.6e-10 with exact coefficients, 1.9e-9 ≈ 0.03 ulp of erf with these float
    // ones). Past a = 4, erfc < 2^-25 and erf rounds to 1; the clamp keeps the arithmetic finite.
    private const float ErfTailLimit = 4f;
    private const float ErfcR0 = -0.0030205887742340565f;
    private const float ErfcR1 = -0.00011742686911020428f;
    private const float ErfcR2 = 0.0740419402718544f;
    private const float ErfcR3 = -0.28263726830482483f;
    private const float ErfcR4 = 0.5061612129211426f;
    private const float ErfcR5 = -0.4623669385910034f;
    private const float ErfcR6 = 0.03406650573015213f;
    private const float ErfcR7 = 0.5614561438560486f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec ErfCore<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        TVec a = L.And(x, L.SplatBits(AbsMask));

        TVec z = L.Multiply(a, a);
        TVec p = L.Fma(L.Splat(ErfT0), z, L.Splat(ErfT1));
        p = L.Fma(p, z, L.Splat(ErfT2));
        p = L.Fma(p, z, L.Splat(ErfT3));
        p = L.Fma(p, z, L.Splat(ErfT4));
        p = L.Fma(p, z, L.Splat(ErfT5));
        p = L.Fma(p, z, L.Splat(ErfT6MinusOne));
        TVec small = L.Fma(a, p, a);

        // NaN passes the clamp and the comparisons, and comes out of the tail as NaN.
        TVec t = L.Select(L.GreaterThan(a, L.Splat(ErfTailLimit)), L.Splat(ErfTailLimit), a);
        TVec q = L.Divide(L.Splat(1f), t);
        TVec r = L.Fma(L.Splat(ErfcR0), q, L.Splat(ErfcR1));
        r = L.Fma(r, q, L.Splat(ErfcR2));
        r = L.Fma(r, q, L.Splat(ErfcR3));
        r = L.Fma(r, q, L.Splat(ErfcR4));
        r = L.Fma(r, q, L.Splat(ErfcR5));
        r = L.Fma(r, q, L.Splat(ErfcR6));
        r = L.Fma(r, q, L.Splat(ErfcR7));

        // e^−t² with t² = hi + lo exactly (FMA): e^−hi·(1 − lo), so the rounding of t² costs nothing.
        TVec hi = L.Multiply(t, t);
        TVec lo = L.Fma(t, t, L.Xor(hi, L.SplatBits(SignBit)));
        TVec g = ExpCore<TVec, L>(L.Xor(hi, L.SplatBits(SignBit)));
        g = L.Fma(L.Xor(lo, L.SplatBits(SignBit)), g, g);
        TVec negativeErfcOverR = L.Xor(L.Multiply(g, q), L.SplatBits(SignBit));
        TVec large = L.Fma(negativeErfcOverR, r, L.Splat(1f));

        // Both branches are for |x|; x's sign goes on last, which keeps erf(−0) = −0.
        TVec result = L.Select(L.LessThan(a, L.Splat(ErfSmallLimit)), small, large);
        return L.Or(result, L.And(x, L.SplatBits(SignBit)));
    }
}
