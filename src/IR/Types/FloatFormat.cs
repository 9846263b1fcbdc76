namespace GraphDL.IR;

/// <summary>
/// Correct rounding of a double to each float dtype, done directly from the double so that no
/// double rounding (double → f32 → bf16) can pick the wrong neighbour at a tie.
/// </summary>
public static class FloatFormat
{
    /// <summary>Rounds <paramref name="x"/> to the nearest value of <paramref name="dtype"/> (ties to even; overflow to ±inf).</summary>
    public static double Round(double x, DType dtype) => dtype switch
    {
        DType.F64 => x,
        DType.F32 => (float)x,
        DType.F16 => RoundToFormat(x, mantissaBits: 11, minNormalExponent: -14, maxExponent: 15),
        DType.BF16 => RoundToFormat(x, mantissaBits: 8, minNormalExponent: -126, maxExponent: 127),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), $"{dtype.Name()} is not a float type"),
    };

    /// <summary>
    /// IEEE round-to-nearest-even into a binary format with <paramref name="mantissaBits"/> bits of
    /// precision (implicit bit included), normal exponents [minNormalExponent, maxExponent], and gradual underflow.
    /// Scaling by a power of two is exact in double, so one <see cref="Math.Round(double, MidpointRounding)"/> does it.
    /// </summary>
    internal static double RoundToFormat(double x, int mantissaBits, int minNormalExponent, int maxExponent)
    {
        if (double.IsNaN(x) || double.IsInfinity(x) || x == 0)
        {
            return x;
        }
        int exponent = Math.Max(Math.ILogB(x), minNormalExponent);
        double ulp = Math.ScaleB(1.0, exponent - (mantissaBits - 1));
        double rounded = Math.Round(x / ulp, MidpointRounding.ToEven) * ulp;
        if (Math.Abs(rounded) >= Math.ScaleB(1.0, maxExponent + 1))
        {
            return x > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        }
        // Keep the sign of zero when a tiny negative value underflows.
        return rounded == 0 ? Math.CopySign(0.0, x) : rounded;
    }

    /// <summary>
    /// The text form of a float literal: shortest round-trip digits for <paramref name="dtype"/>, always with a
    /// '.' or an exponent so it never reads as an integer; <c>nan</c>, <c>inf</c>, <c>-inf</c> for the specials.
    /// </summary>
    public static string Format(double value, DType dtype)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsPositiveInfinity(value))
        {
            return "inf";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-inf";
        }
        string text = dtype switch
        {
            DType.F32 or DType.BF16 => ((float)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            DType.F16 => ((Half)value).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        text = text.Replace('E', 'e');
        if (!text.Contains('.') && !text.Contains('e'))
        {
            text += ".0";
        }
        return text;
    }
}
