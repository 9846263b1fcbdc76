using System.Runtime.CompilerServices;

namespace GraphDL.Codegen.Kernels;

// exp and expm1: Cody–Waite range reduction x = k·ln2 + r, |r| ≤ ln2/2, and Cephes' minimax polynomial for
// e^r − 1 − r. The generic parameter L is the lane type (IFloatLanes): the same code runs for every width.
public static partial class VectorMath
{
    // ln 2 split in two (Cephes expf.c): Ln2Hi has 9 significant bits, so k·Ln2Hi is exact for |k| < 2^15 and
    // x − k·Ln2Hi is exact (Sterbenz); the second FMA adds the remaining bits of ln 2.
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float Log2E = 1.44269504088896341f;

    // 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer, which then sits in the low mantissa
    // bits of the sum (bits = ShifterBits + k).
    private const float Shifter = 12582912f;
    private const int ShifterBits = 0x4B400000;

    // Past these, exp(x) in float is +Inf or rounds to 0; clamping keeps k within the int range the scaling uses.
    private const float ExpClampHigh = 89f;
    private const float ExpClampLow = -104f;

    // Below this expm1(x) is −1 in float (e^x < 2^-25); above ExpClampHigh it is +Inf.
    private const float Expm1ClampLow = -18f;

    // Cephes expf.c coefficients (S. L. Moshier): (e^r − 1 − r)/r² ≈ P(r) on |r| ≤ ln2/2.
    private const float ExpP0 = 1.9875691500e-4f;
    private const float ExpP1 = 1.3981999507e-3f;
    private const float ExpP2 = 8.3334519073e-3f;
    private const float ExpP3 = 4.1665795894e-2f;
    private const float ExpP4 = 1.6666665459e-1f;
    private const float ExpP5 = 5.0000001201e-1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec ExpCore<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        // NaN passes both clamps (its comparisons are false) and propagates through the arithmetic.
        x = L.Select(L.GreaterThan(x, L.Splat(ExpClampHigh)), L.Splat(ExpClampHigh), x);
        x = L.Select(L.LessThan(x, L.Splat(ExpClampLow)), L.Splat(ExpClampLow), x);
        TVec shifted = L.Fma(x, L.Splat(Log2E), L.Splat(Shifter));
        TVec r = ReduceByLn2<TVec, L>(x, shifted);
        TVec e = L.Add(ExpMinusOneOfReduced<TVec, L>(r), L.Splat(1f));
        return ScaleByPowerOfTwo<TVec, L>(e, L.SubtractInt(shifted, L.SplatBits(ShifterBits)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Expm1Core<TVec, L>(TVec x)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        TVec clamped = L.Select(L.GreaterThan(x, L.Splat(ExpClampHigh)), L.Splat(ExpClampHigh), x);
        clamped = L.Select(L.LessThan(clamped, L.Splat(Expm1ClampLow)), L.Splat(Expm1ClampLow), clamped);
        TVec shifted = L.Fma(clamped, L.Splat(Log2E), L.Splat(Shifter));
        TVec em1 = ExpMinusOneOfReduced<TVec, L>(ReduceByLn2<TVec, L>(clamped, shifted));

        // e^x − 1 = 2^k·(e^r − 1) + (2^k − 1) = 2·(h·(e^r − 1) + (h − ½)) with h = 2^(k−1): one rounding in the
        // FMA, and h stays finite at k = 128. h − ½ is exact for −23 ≤ k ≤ 25; below, the result is within 2^-23
        // of −1 and the rounding of h − ½ is under a quarter ulp of it; above, h − ½ = h to float precision.
        TVec half = L.AddInt(L.ShiftLeftInt(shifted, 23), L.SplatBits(0x3F000000));
        TVec result = L.Multiply(L.Fma(half, em1, L.Subtract(half, L.Splat(0.5f))), L.Splat(2f));

        // Below 2^-25, expm1(x) rounds to x; this also keeps −0 and subnormals exact.
        TVec tiny = L.LessThan(L.And(x, L.SplatBits(0x7FFFFFFF)), L.Splat(2.98023224e-8f));
        return L.Select(tiny, x, result);
    }

    /// <summary>r = x − k·ln2 with k read from <paramref name="shifted"/>; two FMAs (Cody–Waite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ReduceByLn2<TVec, L>(TVec x, TVec shifted)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        TVec k = L.Subtract(shifted, L.Splat(Shifter));
        TVec r = L.Fma(k, L.Splat(-Ln2Hi), x);
        return L.Fma(k, L.Splat(-Ln2Lo), r);
    }

    /// <summary>e^r − 1 = r + r²·P(r) for |r| ≤ ln2/2 (Horner with FMAs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ExpMinusOneOfReduced<TVec, L>(TVec r)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        TVec p = L.Fma(L.Splat(ExpP0), r, L.Splat(ExpP1));
        p = L.Fma(p, r, L.Splat(ExpP2));
        p = L.Fma(p, r, L.Splat(ExpP3));
        p = L.Fma(p, r, L.Splat(ExpP4));
        p = L.Fma(p, r, L.Splat(ExpP5));
        return L.Fma(p, L.Multiply(r, r), r);
    }

    /// <summary>
    /// value·2^n for int lanes n in [−150, 128], as two multiplications by 2^⌊n/2⌋ and 2^(n−⌊n/2⌋), both normal
    /// floats: the first is exact, the second rounds once, to +Inf on overflow and to a subnormal or 0 on underflow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec ScaleByPowerOfTwo<TVec, L>(TVec value, TVec n)
        where TVec : struct
        where L : IFloatLanes<TVec>
    {
        TVec n1 = L.ShiftRightArithmeticInt(n, 1);
        TVec n2 = L.SubtractInt(n, n1);
        TVec s1 = L.AddInt(L.ShiftLeftInt(n1, 23), L.SplatBits(0x3F800000));
        TVec s2 = L.AddInt(L.ShiftLeftInt(n2, 23), L.SplatBits(0x3F800000));
        return L.Multiply(L.Multiply(value, s1), s2);
    }
}
