using System.Globalization;

namespace GraphDL.Codegen.CSharp;

/// <summary>The cache's bound: entries unused for too long, then the least recently used beyond the size limit, are removed.</summary>
public static partial class KernelCache
{
    /// <summary>The default of <c>GRAPHDL_KERNEL_CACHE_MAX_MB</c>: a training step's image is tens to hundreds of kilobytes.</summary>
    public const long DefaultMaxMegabytes = 1024;

    /// <summary>The default of <c>GRAPHDL_KERNEL_CACHE_MAX_AGE_DAYS</c>.</summary>
    public const double DefaultMaxAgeDays = 30;

    /// <summary>A writer killed between its temporary file and the rename leaves the temporary behind; after this long it is surely dead.</summary>
    private static readonly TimeSpan StaleTemporary = TimeSpan.FromHours(1);

    /// <summary>The most bytes the entries may take (<c>GRAPHDL_KERNEL_CACHE_MAX_MB</c>, default <see cref="DefaultMaxMegabytes"/>).</summary>
    public static long MaxBytes => (long)(Knob("GRAPHDL_KERNEL_CACHE_MAX_MB", DefaultMaxMegabytes) * 1024 * 1024);

    /// <summary>How long an entry may go unused (<c>GRAPHDL_KERNEL_CACHE_MAX_AGE_DAYS</c>, default <see cref="DefaultMaxAgeDays"/>).</summary>
    public static TimeSpan MaxAge => TimeSpan.FromDays(Knob("GRAPHDL_KERNEL_CACHE_MAX_AGE_DAYS", DefaultMaxAgeDays));

    private static string? _badKnob;

    /// <summary>A non-negative number from the environment, or <paramref name="fallback"/> (with one warning when the value is not one).</summary>
    private static double Knob(string variable, double fallback)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && value <= 1e9)
        {
            return value;
        }
        WarnOnce(ref _badKnob, $"{variable}={text}", $"{variable}={text} is not a number between 0 and 1e9; using {fallback.ToString(CultureInfo.InvariantCulture)}");
        return fallback;
    }

    /// <summary>Records a hit as the entry's last use (its access time), which eviction orders by; the image itself is not rewritten.</summary>
    private static void MarkUsed(string key)
    {
        try
        {
            File.SetLastAccessTimeUtc(ImagePath(key), DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still serves hits; its entries just age by their write time.
        }
    }

    /// <summary>
    /// Removes from <paramref name="cache"/> the entries unused for longer than <paramref name="maxAge"/>, then the
    /// least recently used until the rest take at most <paramref name="maxBytes"/>, never <paramref name="keep"/> (the
    /// entry just stored); also stale temporary files of dead writers. Other processes may evict at the same time: a
    /// file already gone is skipped.
    /// </summary>
    internal static void Evict(string cache, string keep, long maxBytes, TimeSpan maxAge)
    {
        var directory = new DirectoryInfo(cache);
        var now = DateTime.UtcNow;
        var entries = new List<(string Key, DateTime LastUsed, long Bytes)>();
        try
        {
            foreach (var file in directory.EnumerateFiles())
            {
                var name = file.Name;
                if (name.EndsWith(".tmp", StringComparison.Ordinal) && IsKey(name) && now - file.LastWriteTimeUtc > StaleTemporary)
                {
                    TryDelete(file.FullName);
                }
                else if (name.EndsWith(".dll", StringComparison.Ordinal) && name.Length == 68 && IsKey(name))
                {
                    var checksum = new FileInfo(Path.ChangeExtension(file.FullName, ".sha256"));
                    var lastUsed = file.LastAccessTimeUtc > file.LastWriteTimeUtc ? file.LastAccessTimeUtc : file.LastWriteTimeUtc;
                    entries.Add((name[..64], lastUsed, file.Length + (checksum.Exists ? checksum.Length : 0)));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        long total = entries.Sum(e => e.Bytes);
        foreach (var (key, lastUsed, bytes) in entries.OrderBy(e => e.LastUsed))
        {
            if (key != keep && (now - lastUsed > maxAge || total > maxBytes))
            {
                TryDelete(Path.Combine(cache, key + ".dll"));
                TryDelete(Path.Combine(cache, key + ".sha256"));
                total -= bytes;
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> starts with a cache key (64 lowercase hex digits): only the cache's own files are ever removed.</summary>
    private static bool IsKey(string name) => name.Length >= 64 && name.AsSpan(0, 64).IndexOfAnyExcept("0123456789abcdef") < 0;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
