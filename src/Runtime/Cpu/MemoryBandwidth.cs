using System.Diagnostics;

namespace GraphDL.Runtime;

/// <summary>
/// The machine's copy bandwidth, measured now (STREAM's "copy": b[i] = a[i] over arrays far larger than the caches,
/// counting the bytes read and written), so kernel bandwidth can be quoted as a fraction of what memory gives in the
/// same run rather than of a datasheet figure.
/// </summary>
public static class MemoryBandwidth
{
    /// <summary>The median copy bandwidth in bytes per second over <paramref name="repetitions"/> copies of <paramref name="bytes"/> bytes.</summary>
    public static double MeasureCopy(long bytes = 64 << 20, int repetitions = 15)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var source = new float[bytes / sizeof(float)];
        var target = new float[source.Length];
        source.AsSpan().Fill(1);
        source.AsSpan().CopyTo(target);
        var rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            source.AsSpan().CopyTo(target);
            rates[r] = 2.0 * source.Length * sizeof(float) / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(rates);
        return rates[repetitions / 2];
    }
}
