using System.Runtime.Intrinsics;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// The handful of lane-wise float32 operations that <see cref="VectorMath"/>'s algorithms are written in, so that
/// each algorithm is written once and instantiated for <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>,
/// <see cref="Vector128{T}"/> and plain <see cref="float"/>.
/// </summary>
/// <remarks>
/// Every operation is exactly rounded per lane (IEEE 754 binary32, round to nearest even; <see cref="Fma"/> rounds
/// once), so all four instantiations give bit-identical results for the same inputs: the scalar path can finish a
/// vector loop's tail without a seam. Comparisons return masks (all bits set or clear per lane) that only
/// <see cref="Select"/> and the bitwise operations consume. The <c>Int</c> operations reinterpret each lane's bits
/// as a two's-complement int32 and return the result's bits.
/// </remarks>
internal interface IFloatLanes<TVec>
    where TVec : struct
{
    static abstract TVec Splat(float value);

    static abstract TVec SplatBits(int bits);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    /// <summary><c>a * b + c</c> with a single rounding.</summary>
    static abstract TVec Fma(TVec a, TVec b, TVec c);

    static abstract TVec And(TVec a, TVec b);

    static abstract TVec Or(TVec a, TVec b);

    static abstract TVec Xor(TVec a, TVec b);

    static abstract TVec LessThan(TVec a, TVec b);

    static abstract TVec LessThanOrEqual(TVec a, TVec b);

    static abstract TVec GreaterThan(TVec a, TVec b);

    static abstract TVec GreaterThanOrEqual(TVec a, TVec b);

    static abstract TVec Equal(TVec a, TVec b);

    /// <summary>Per lane, <paramref name="ifSet"/> where <paramref name="mask"/> is set, else <paramref name="ifClear"/>.</summary>
    static abstract TVec Select(TVec mask, TVec ifSet, TVec ifClear);

    static abstract TVec AddInt(TVec a, TVec b);

    static abstract TVec SubtractInt(TVec a, TVec b);

    static abstract TVec ShiftLeftInt(TVec a, int count);

    static abstract TVec ShiftRightArithmeticInt(TVec a, int count);

    /// <summary>The int32 in each lane's bits, converted to float (exact for the small ints used here).</summary>
    static abstract TVec IntToFloat(TVec a);

    /// <summary>
    /// <paramref name="result"/>, except in lanes where |x| ≥ <paramref name="limit"/>: there
    /// <typeparamref name="TFunction"/> of x, one lane at a time (a rare, slow path for arguments an algorithm's
    /// range reduction does not cover).
    /// </summary>
    static abstract TVec WithFallbackWhere<TFunction>(TVec x, TVec result, float limit)
        where TFunction : IScalarFunction;
}

/// <summary>A float function as a type, so generic code can call it without a delegate.</summary>
internal interface IScalarFunction
{
    static abstract float Invoke(float x);
}
