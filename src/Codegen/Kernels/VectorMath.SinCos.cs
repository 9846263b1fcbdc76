using System.Runtime.CompilerServices;

namespace GraphDL.Codegen.Kernels;

// sin and cos: x = k·π/2 + r with |r| ≤ π/4 (three-part Cody–Waite with FMAs), then Cephes' sin or cos polynomial
// on r chosen and signed by k mod 4. The generic parameter L is the lane type (IFloatLanes).
public static partial class VectorMath
{
    // π/2 = PiOver2Hi + PiOver2Mid + PiOver2Lo, each the float nearest what is left. With an FMA, x − k·PiOver2Hi
    // is exact: for |x| ≥ π/4 both are multiples of 2^-24 and their difference is below 1.
    private const float PiOver2Hi = 1.57079637050628662109375f;
    private const float PiOver2Mid = -4.37113882867379300296306610107421875e-8f;
    private const float PiOver2Lo = -1.7151245100058819e-15f;
    private const float TwoOverPi = 0.636619746685028076171875f;

    // From here on the float reduction above loses accuracy; such lanes take (float)Math.Sin/Cos((double)x), whose
    // reduction is exact, in the vector and scalar paths alike. ±Inf land here too and give NaN.
    private const float SinCosFallbackLimit = 1048576f;

    // Cephes sinf.c and cosf.c (S. L. Moshier): sin r ≈ r + r³·S(r²), cos r ≈ 1 − r²/2 + r⁴·C(r²), |r| ≤ π/4.
    private const float SinS0 = -1.9515295891e-4f;
    private const float SinS1 = 8.3321608736e-3f;
    private const float SinS2 = -1.6666654611e-1f;
    private const float CosC0 = 2.443315711809948e-5f;
    private const float CosC1 = -1.388731625493765e-3f;
    private const float CosC2 = 4.166664568298827e-2f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec SinCore<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        // sin(±0) = ±0 and sin of a subnormal is itself: the polynomial's sum would turn −0 into +0.
        TVec result = SinOfQuadrant<TVec, L>(x, 0);
        result = L.Select(L.Equal(x, L.Splat(0f)), x, result);
        return L.WithFallbackWhere<SinOfDouble>(x, result, SinCosFallbackLimit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec CosCore<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        // cos(x) = sin(x + π/2): the same reduction, one quadrant on.
        TVec result = SinOfQuadrant<TVec, L>(x, 1);
        return L.WithFallbackWhere<CosOfDouble>(x, result, SinCosFallbackLimit);
    }

    /// <summary>sin(x + quadrantOffset·π/2) for |x| below the fallback limit (NaN gives NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec SinOfQuadrant<TVec, L>(TVec x, int quadrantOffset)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        // Lanes past the limit are replaced afterwards; clamping them keeps k small and the arithmetic finite.
        TVec limit = L.Splat(SinCosFallbackLimit);
        x = L.Select(L.GreaterThan(L.And(x, L.SplatBits(AbsMask)), limit), L.Splat(0f), x);
        TVec shifted = L.Fma(x, L.Splat(TwoOverPi), L.Splat(Shifter));
        TVec k = L.Subtract(shifted, L.Splat(Shifter));
        TVec r = L.Fma(k, L.Splat(-PiOver2Hi), x);
        r = L.Fma(k, L.Splat(-PiOver2Mid), r);
        r = L.Fma(k, L.Splat(-PiOver2Lo), r);
        TVec r2 = L.Multiply(r, r);

        TVec s = L.Fma(L.Splat(SinS0), r2, L.Splat(SinS1));
        s = L.Fma(s, r2, L.Splat(SinS2));
        TVec sin = L.Fma(L.Multiply(s, r2), r, r);
        TVec c = L.Fma(L.Splat(CosC0), r2, L.Splat(CosC1));
        c = L.Fma(c, r2, L.Splat(CosC2));
        c = L.Fma(c, r2, L.Splat(-0.5f));
        TVec cos = L.Fma(c, r2, L.Splat(1f));

        // Quadrant q = k + offset (mod 4), from the low bits of shifted: odd q takes the cosine, q ≥ 2 negates.
        TVec quadrant = L.AddInt(shifted, L.SplatBits(quadrantOffset));
        TVec odd = L.ShiftRightArithmeticInt(L.ShiftLeftInt(quadrant, 31), 31);
        TVec negate = L.And(L.ShiftLeftInt(quadrant, 30), L.SplatBits(SignBit));
        return L.Xor(L.Select(odd, cos, sin), negate);
    }

    private readonly struct SinOfDouble : IScalarFunction
    {
        public static float Invoke(float x) => (float)Math.Sin(x);
    }

    private readonly struct CosOfDouble : IScalarFunction
    {
        public static float Invoke(float x) => (float)Math.Cos(x);
    }
}
