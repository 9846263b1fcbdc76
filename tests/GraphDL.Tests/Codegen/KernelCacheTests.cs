using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using GraphDL.Codegen.CSharp;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// The on-disk kernel cache: hits reuse the image; an entry that is corrupt, truncated or another entry's image
/// (even with a matching checksum) is removed and rebuilt with one warning line; a cache that cannot be written
/// degrades to compiling every time, saying so once. Every case ends with a compile that works.
/// </summary>
[Collection("environment")]
public sealed class KernelCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphdl-cache-").FullName;
    private readonly string? _previous = Environment.GetEnvironmentVariable("GRAPHDL_CACHE");
    private readonly StringWriter _warnings = new();

    public KernelCacheTests()
    {
        // Listen first: a warning about this test's directory may come from a compile running beside it.
        KernelCache.Log = TextWriter.Synchronized(_warnings);
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", _root);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", _previous);
        KernelCache.Log = null;
        Directory.Delete(_root, recursive: true);
    }

    internal static (string, string)[] Kernel(int constant) =>
        [("k0", $"    public static unsafe void k0(nint* b) {{ *(int*)b[0] = {constant}; }}\n")];

    internal static unsafe int Call(CompiledProgram program)
    {
        int result = 0;
        nint pointer = (nint)(&result);
        ((delegate*<nint*, void>)program["k0"])(&pointer);
        return result;
    }

    /// <summary>Compiles the kernel storing <paramref name="constant"/>, checks that it runs, and returns its cache key.</summary>
    internal static string CompileAndCheck(int constant)
    {
        using var program = CompiledProgram.Compile(Kernel(constant), "cached");
        Assert.Equal(constant, Call(program));
        return KernelCache.Key(program.Source);
    }

    private static string ImageOf(string key) => Path.Combine(KernelCache.Directory, key + ".dll");

    private static string ChecksumOf(string key) => Path.Combine(KernelCache.Directory, key + ".sha256");

    /// <summary>Writes <paramref name="image"/> as <paramref name="key"/>'s entry with a checksum that matches it.</summary>
    private static void Plant(string key, byte[] image)
    {
        File.WriteAllBytes(ImageOf(key), image);
        File.WriteAllText(ChecksumOf(key), Convert.ToHexStringLower(SHA256.HashData(image)));
    }

    /// <summary>The warning lines about <paramref name="key"/>'s entry.</summary>
    private string[] WarningsAbout(string key) =>
        _warnings.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(key[..16], StringComparison.Ordinal)).ToArray();

    /// <summary>After healing, the entry is whole again: the next compile is a silent hit that does not rewrite it.</summary>
    private void AssertHealed(string key, int constant)
    {
        var stamp = File.GetLastWriteTimeUtc(ImageOf(key));
        int warnings = WarningsAbout(key).Length;
        Assert.Equal(key, CompileAndCheck(constant));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(ImageOf(key)));
        Assert.Equal(warnings, WarningsAbout(key).Length);
    }

    [Fact]
    public void ASecondCompileIsAHitThatMarksTheEntryUsedWithoutRewritingIt()
    {
        var key = CompileAndCheck(7);
        Assert.True(File.Exists(ImageOf(key)));
        var past = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(ImageOf(key), past);
        File.SetLastAccessTimeUtc(ImageOf(key), past);
        Assert.Equal(key, CompileAndCheck(7));
        Assert.Equal(past, File.GetLastWriteTimeUtc(ImageOf(key)));
        Assert.True(DateTime.UtcNow - File.GetLastAccessTimeUtc(ImageOf(key)) < TimeSpan.FromMinutes(5), "a hit records its use for eviction");
        Assert.Empty(WarningsAbout(key));
    }

    [Fact]
    public void GarbageWithAMatchingChecksumIsRemovedAndRebuiltWithOneWarning()
    {
        var key = CompileAndCheck(7);
        Plant(key, Encoding.ASCII.GetBytes("MZ this is not an assembly, but its checksum is right"));
        Assert.Equal(key, CompileAndCheck(7));
        var warning = Assert.Single(WarningsAbout(key));
        Assert.Contains("is unusable: its image is not a valid assembly", warning, StringComparison.Ordinal);
        Assert.Contains("removed it; compiling again", warning, StringComparison.Ordinal);
        AssertHealed(key, 7);
    }

    [Fact]
    public void AnotherEntrysImageWithItsChecksumIsNotRunButRebuilt()
    {
        var key = CompileAndCheck(7);
        var other = CompileAndCheck(9);
        // The whole other entry under this key's name: its checksum matches, only its identity gives it away.
        File.Copy(ImageOf(other), ImageOf(key), overwrite: true);
        File.Copy(ChecksumOf(other), ChecksumOf(key), overwrite: true);
        Assert.Equal(key, CompileAndCheck(7));
        var warning = Assert.Single(WarningsAbout(key));
        Assert.Contains($"its image is assembly {KernelCache.AssemblyName(other)}, not {KernelCache.AssemblyName(key)}", warning, StringComparison.Ordinal);
        AssertHealed(key, 7);
        Assert.Equal(other, CompileAndCheck(9));
    }

    [Fact]
    public void AnImageUnderTheRightNameWithoutTheKernelsIsCaughtWhenLoaded()
    {
        var key = CompileAndCheck(7);
        // A valid assembly named after this key whose class has another method: only binding after load can tell.
        var source = "namespace GraphDL.Generated;\npublic static class Kernels\n{\n    public static void k1() { }\n}\n";
        var image = new MemoryStream();
        Assert.True(CompiledProgram.CreateCompilation(CompiledProgram.Parse(source, "forged"), key).Emit(image).Success);
        Plant(key, image.ToArray());
        Assert.Equal(key, CompileAndCheck(7));
        Assert.Contains("is unusable: the loaded assembly lacks kernel k0", Assert.Single(WarningsAbout(key)), StringComparison.Ordinal);
        AssertHealed(key, 7);
    }

    [Fact]
    public void AForeignImageWithoutItsChecksumFailsTheChecksum()
    {
        var key = CompileAndCheck(7);
        var other = CompileAndCheck(9);
        File.Copy(ImageOf(other), ImageOf(key), overwrite: true);
        Assert.Equal(key, CompileAndCheck(7));
        Assert.Contains("its image does not match its checksum", Assert.Single(WarningsAbout(key)), StringComparison.Ordinal);
        AssertHealed(key, 7);
    }

    [Fact]
    public void TruncatedImagesAndChecksumsAreRebuilt()
    {
        var key = CompileAndCheck(7);
        var whole = File.ReadAllBytes(ImageOf(key));

        // cut short, with the checksum of what is left: the last section runs past the end, or (cut in half) the metadata
        Plant(key, whole[..^16]);
        Assert.Equal(key, CompileAndCheck(7));
        var truncated = Assert.Single(WarningsAbout(key));
        Assert.True(truncated.Contains("its image is truncated", StringComparison.Ordinal), truncated);
        AssertHealed(key, 7);
        Plant(key, whole[..(whole.Length / 2)]);
        Assert.Equal(key, CompileAndCheck(7));
        Assert.Contains("its image is not a valid assembly", WarningsAbout(key).Last(), StringComparison.Ordinal);
        AssertHealed(key, 7);

        // cut short under the old checksum, or an empty sidecar
        File.WriteAllBytes(ImageOf(key), whole[..100]);
        Assert.Equal(key, CompileAndCheck(7));
        File.WriteAllText(ChecksumOf(key), "");
        Assert.Equal(key, CompileAndCheck(7));
        Assert.Equal(4, WarningsAbout(key).Length);
        Assert.All(WarningsAbout(key).Skip(2), w => Assert.Contains("does not match its checksum", w, StringComparison.Ordinal));
        AssertHealed(key, 7);

        // a writer that died between its two files left no sidecar: a plain miss, rebuilt without a warning
        File.Delete(ChecksumOf(key));
        Assert.Equal(key, CompileAndCheck(7));
        Assert.True(File.Exists(ChecksumOf(key)));
        Assert.Equal(4, WarningsAbout(key).Length);
        AssertHealed(key, 7);
    }

    [Fact]
    public void ACacheThatCannotBeCreatedDegradesToCompilingWithOneWarning()
    {
        // The cache root is a regular file, so nothing below it can be read or written, even by root.
        var blocked = Path.Combine(_root, "not-a-directory");
        File.WriteAllText(blocked, "");
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", blocked);
        CompileAndCheck(7);
        CompileAndCheck(9);
        CompileAndCheck(7);
        var lines = _warnings.ToString().Split('\n').Where(l => l.Contains(blocked, StringComparison.Ordinal)).ToArray();
        var warning = Assert.Single(lines);
        Assert.StartsWith("graphdl: warning: kernel cache: cannot write to ", warning, StringComparison.Ordinal);
        Assert.Contains("compiled kernels are not cached", warning, StringComparison.Ordinal);
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void AReadOnlyCacheDirectoryServesHitsAndSurvivesABadEntry()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var good = CompileAndCheck(7);
        var bad = CompileAndCheck(9);
        Plant(bad, [1, 2, 3]);
        var directory = KernelCache.Directory;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            // Root may write anyway; everything below holds either way, and the warnings say which happened.
            bool writable = CanWrite(directory);
            Assert.Equal(good, CompileAndCheck(7));
            Assert.Empty(WarningsAbout(good));
            Assert.Equal(bad, CompileAndCheck(9));
            var warning = Assert.Single(WarningsAbout(bad));
            Assert.Contains(writable ? "removed it; compiling again" : "cannot remove it", warning, StringComparison.Ordinal);
            Assert.Equal(bad, CompileAndCheck(9));
            CompileAndCheck(11);
            // A directory that cannot be written is reported once, by the line about the bad entry.
            Assert.Equal(writable ? 1 : 2, WarningsAbout(bad).Length);
            Assert.DoesNotContain("cannot write to", _warnings.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool CanWrite(string directory)
    {
        var probe = Path.Combine(directory, "probe.tmp");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
