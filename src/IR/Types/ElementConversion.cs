namespace GraphDL.IR;

/// <summary>
/// The conversion rules of <c>cast</c>, shared by every place that changes an element's dtype.
/// float → integer truncates toward zero, saturates at the integer range and maps NaN to 0 (as .NET 9+
/// and PTX <c>cvt.rzi</c> do); integer → narrower integer wraps; anything → bool is <c>x != 0</c>
/// (NaN is true); bool → number is 0 or 1; to a float type rounds to nearest even.
/// </summary>
public static class ElementConversion
{
    public static long DoubleToInteger(double value, DType dtype)
    {
        if (dtype == DType.Bool)
        {
            return value != 0 || double.IsNaN(value) ? 1 : 0;
        }
        if (double.IsNaN(value))
        {
            return 0;
        }
        double truncated = Math.Truncate(value);
        return dtype switch
        {
            DType.I32 => truncated >= int.MaxValue ? int.MaxValue : truncated <= int.MinValue ? int.MinValue : (long)truncated,
            // 2^63 is the first double above long.MaxValue.
            DType.I64 => truncated >= 9.2233720368547758E18 ? long.MaxValue : truncated <= long.MinValue ? long.MinValue : (long)truncated,
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), $"{dtype.Name()} is not an integer or bool type"),
        };
    }

    public static long WrapInteger(long value, DType dtype) => dtype switch
    {
        DType.I32 => unchecked((int)value),
        DType.I64 => value,
        DType.Bool => value != 0 ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), $"{dtype.Name()} is not an integer or bool type"),
    };

    /// <summary>
    /// Converts an integer to a float dtype with one correct rounding (ties to even). Going through double
    /// naively would round twice for |v| &gt; 2^53; rounding to odd first makes the second rounding exact.
    /// </summary>
    public static double Int64ToFloat(long value, DType dtype)
    {
        if (dtype == DType.F64)
        {
            return value;
        }
        return FloatFormat.Round(RoundToOddDouble(value), dtype);
    }

    private static double RoundToOddDouble(long value)
    {
        if (value >= -(1L << 53) && value <= (1L << 53))
        {
            return value;
        }
        // |value| needs more than 53 bits: keep 53, and make the last one sticky for what was dropped.
        ulong magnitude = value < 0 ? unchecked((ulong)-value) : (ulong)value;
        int shift = 64 - System.Numerics.BitOperations.LeadingZeroCount(magnitude) - 53;
        ulong kept = magnitude >> shift;
        if ((magnitude & ((1UL << shift) - 1)) != 0)
        {
            kept |= 1;
        }
        double result = Math.ScaleB(kept, shift);
        return value < 0 ? -result : result;
    }
}
