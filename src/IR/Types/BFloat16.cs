namespace GraphDL.IR;

/// <summary>
/// The bfloat16 storage type: the top 16 bits of an IEEE f32 (8 exponent bits, 7 fraction bits).
/// .NET has no built-in bfloat16; this struct only stores and converts, arithmetic happens in wider types.
/// </summary>
public readonly struct BFloat16 : IEquatable<BFloat16>
{
    public BFloat16(ushort bits) => Bits = bits;

    public ushort Bits { get; }

    /// <summary>Rounds to nearest even (NaN stays NaN, overflow becomes ±inf).</summary>
    public static BFloat16 FromDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return new BFloat16((ushort)(value < 0 || BitConverter.DoubleToInt64Bits(value) < 0 ? 0xFFC0 : 0x7FC0));
        }
        // The rounded value is exact in f32, so taking the high half of its bits is exact.
        float exact = (float)FloatFormat.Round(value, DType.BF16);
        return new BFloat16((ushort)(BitConverter.SingleToUInt32Bits(exact) >> 16));
    }

    public double ToDouble() => BitConverter.UInt32BitsToSingle((uint)Bits << 16);

    public bool Equals(BFloat16 other) => Bits == other.Bits;

    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    public override int GetHashCode() => Bits;

    public static bool operator ==(BFloat16 left, BFloat16 right) => left.Equals(right);

    public static bool operator !=(BFloat16 left, BFloat16 right) => !left.Equals(right);

    public override string ToString() => FloatFormat.Format(ToDouble(), DType.BF16);
}
