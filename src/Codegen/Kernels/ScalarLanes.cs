using System.Runtime.CompilerServices;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// <see cref="IFloatLanes{TVec}"/> over one <see cref="float"/>: the same operations as the vector lanes, one lane
/// wide, so a kernel's scalar tail computes bit for bit what its vector body computes.
/// </summary>
/// <remarks>Masks are floats whose bits are all set (a NaN) or all clear, exactly as a vector lane's mask.</remarks>
internal readonly struct ScalarLanes : IFloatLanes<float>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Splat(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SplatBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float a, float b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float And(float a, float b) => FromBits(Bits(a) & Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Or(float a, float b) => FromBits(Bits(a) | Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Xor(float a, float b) => FromBits(Bits(a) ^ Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LessThan(float a, float b) => Mask(a < b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LessThanOrEqual(float a, float b) => Mask(a <= b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float GreaterThan(float a, float b) => Mask(a > b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float GreaterThanOrEqual(float a, float b) => Mask(a >= b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Equal(float a, float b) => Mask(a == b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Select(float mask, float ifSet, float ifClear) => Bits(mask) != 0 ? ifSet : ifClear;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float AddInt(float a, float b) => FromBits(unchecked(Bits(a) + Bits(b)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SubtractInt(float a, float b) => FromBits(unchecked(Bits(a) - Bits(b)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ShiftLeftInt(float a, int count) => FromBits(Bits(a) << count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ShiftRightArithmeticInt(float a, int count) => FromBits(Bits(a) >> count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IntToFloat(float a) => Bits(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float WithFallbackWhere<TFunction>(float x, float result, float limit)
        where TFunction : IScalarFunction => MathF.Abs(x) >= limit ? TFunction.Invoke(x) : result;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float FromBits(int bits) => BitConverter.Int32BitsToSingle(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Mask(bool condition) => FromBits(condition ? -1 : 0);
}
