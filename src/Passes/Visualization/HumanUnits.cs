using System.Globalization;

namespace GraphDL.Passes.Visualization;

/// <summary>
/// Sizes and durations as people read them (<c>1.5 MiB</c>, <c>812 ms</c>): three significant digits at most,
/// binary units for bytes (the arena is counted in powers of two), invariant culture.
/// </summary>
public static class HumanUnits
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary><c>0 B</c>, <c>960 B</c>, <c>1.5 KiB</c>, <c>12.3 MiB</c>, <c>256 MiB</c>.</summary>
    public static string Bytes(double bytes)
    {
        int unit = ByteUnit(bytes);
        return Significant(bytes / Math.Pow(1024, unit)) + " " + ByteUnits[unit];
    }

    /// <summary><c>1.25 s</c>, <c>812 ms</c>, <c>3.4 us</c>, <c>0 s</c>.</summary>
    public static string Seconds(double seconds)
    {
        double magnitude = Math.Abs(seconds);
        return magnitude == 0 ? "0 s"
            : magnitude >= 1 ? Significant(seconds) + " s"
            : magnitude >= 1e-3 ? Significant(seconds * 1e3) + " ms"
            : magnitude >= 1e-6 ? Significant(seconds * 1e6) + " us"
            : Significant(seconds * 1e9) + " ns";
    }

    /// <summary>The power of 1024 that keeps <paramref name="bytes"/> under 1024 in its unit (0 for B, 2 for MiB).</summary>
    internal static int ByteUnit(double bytes)
    {
        int unit = 0;
        for (double magnitude = Math.Abs(bytes); magnitude >= 1024 && unit < ByteUnits.Length - 1; magnitude /= 1024)
        {
            unit++;
        }
        return unit;
    }

    /// <summary>A plain number with three significant digits at most (<c>1.25</c>, <c>12.5</c>, <c>125</c>, <c>1250</c>).</summary>
    internal static string Significant(double value)
    {
        double magnitude = Math.Abs(value);
        var format = magnitude == 0 || magnitude >= 100 ? "0" : magnitude >= 10 ? "0.#" : "0.##";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
