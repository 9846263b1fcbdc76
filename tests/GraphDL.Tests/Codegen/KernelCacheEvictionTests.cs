using GraphDL.Codegen.CSharp;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// The kernel cache's bound. Eviction is checked on a directory of its own with entries of known sizes and times (a
/// compile elsewhere in the test run stores into the shared cache directory and evicts there), and the knobs through
/// the environment.
/// </summary>
[Collection("environment")]
public sealed class KernelCacheEvictionTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("graphdl-evict-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static string KeyOf(char digit) => new(digit, 64);

    /// <summary>An entry of <paramref name="bytes"/> image bytes last used <paramref name="age"/> ago.</summary>
    private void Entry(string key, int bytes, TimeSpan age)
    {
        var image = Path.Combine(_cache, key + ".dll");
        File.WriteAllBytes(image, new byte[bytes]);
        File.WriteAllText(Path.Combine(_cache, key + ".sha256"), new string('0', 64));
        var time = DateTime.UtcNow - age;
        File.SetLastWriteTimeUtc(image, time);
        File.SetLastAccessTimeUtc(image, time);
    }

    private bool Has(string key) => File.Exists(Path.Combine(_cache, key + ".dll"));

    [Fact]
    public void OverTheSizeLimitTheLeastRecentlyUsedEntriesGoFirst()
    {
        string a = KeyOf('a'), b = KeyOf('b'), c = KeyOf('c'), d = KeyOf('d');
        Entry(a, 1000, TimeSpan.FromHours(1));
        Entry(b, 1000, TimeSpan.FromHours(3));
        Entry(c, 1000, TimeSpan.FromHours(2));
        Entry(d, 1000, TimeSpan.Zero);
        // Each entry is 1064 bytes with its sidecar: two fit in 2200.
        KernelCache.Evict(_cache, keep: d, maxBytes: 2200, maxAge: TimeSpan.FromDays(30));
        Assert.False(Has(b));
        Assert.False(Has(c));
        Assert.True(Has(a));
        Assert.True(Has(d));
        Assert.False(File.Exists(Path.Combine(_cache, b + ".sha256")));
    }

    [Fact]
    public void EntriesUnusedTooLongGoAndTheOneJustStoredStays()
    {
        string old = KeyOf('1'), recent = KeyOf('2'), stored = KeyOf('3');
        Entry(old, 10, TimeSpan.FromDays(3));
        Entry(recent, 10, TimeSpan.FromHours(1));
        // The entry just stored is kept even when it alone exceeds the limit.
        Entry(stored, 5000, TimeSpan.Zero);
        KernelCache.Evict(_cache, keep: stored, maxBytes: 1000, maxAge: TimeSpan.FromDays(2));
        Assert.False(Has(old));
        Assert.False(Has(recent));
        Assert.True(Has(stored));
    }

    [Fact]
    public void OnlyTheCachesOwnFilesAreRemoved()
    {
        string stored = KeyOf('e');
        Entry(stored, 10, TimeSpan.Zero);
        var stale = Path.Combine(_cache, KeyOf('f') + ".dll.123.abc.tmp");
        var fresh = Path.Combine(_cache, KeyOf('f') + ".dll.456.def.tmp");
        var foreign = Path.Combine(_cache, "notes.dll");
        foreach (var path in new[] { stale, fresh, foreign })
        {
            File.WriteAllText(path, "x");
        }
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1));
        File.SetLastWriteTimeUtc(foreign, DateTime.UtcNow.AddDays(-100));
        KernelCache.Evict(_cache, keep: stored, maxBytes: 0, maxAge: TimeSpan.Zero);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh), "a temporary file may belong to a writer still running");
        Assert.True(File.Exists(foreign));
        Assert.True(Has(stored));
    }

    [Fact]
    public void TheKnobsComeFromTheEnvironmentAndStoreEvicts()
    {
        string? maxMb = Environment.GetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_MB");
        string? maxDays = Environment.GetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_AGE_DAYS");
        string? root = Environment.GetEnvironmentVariable("GRAPHDL_CACHE");
        var warnings = new StringWriter();
        KernelCache.Log = TextWriter.Synchronized(warnings);
        try
        {
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_MB", null);
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_AGE_DAYS", null);
            Assert.Equal(KernelCache.DefaultMaxMegabytes * 1024 * 1024, KernelCache.MaxBytes);
            Assert.Equal(TimeSpan.FromDays(KernelCache.DefaultMaxAgeDays), KernelCache.MaxAge);
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_MB", "0.5");
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_AGE_DAYS", "7");
            Assert.Equal(512 * 1024, KernelCache.MaxBytes);
            Assert.Equal(TimeSpan.FromDays(7), KernelCache.MaxAge);
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_MB", "lots");
            Assert.Equal(KernelCache.DefaultMaxMegabytes * 1024 * 1024, KernelCache.MaxBytes);
            Assert.Contains("GRAPHDL_KERNEL_CACHE_MAX_MB=lots is not a number", warnings.ToString(), StringComparison.Ordinal);

            // Through a real store: with no room, compiling a second kernel evicts the first.
            Environment.SetEnvironmentVariable("GRAPHDL_CACHE", _cache);
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_MB", "0");
            // (A compile running beside this test may evict too, through the same Store: the entry is gone either way.)
            var first = KernelCacheTests.CompileAndCheck(7);
            KernelCacheTests.CompileAndCheck(9);
            Assert.False(File.Exists(Path.Combine(KernelCache.Directory, first + ".dll")));
            KernelCacheTests.CompileAndCheck(7);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_MB", maxMb);
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE_MAX_AGE_DAYS", maxDays);
            Environment.SetEnvironmentVariable("GRAPHDL_CACHE", root);
            KernelCache.Log = null;
        }
    }
}
