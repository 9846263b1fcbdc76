using System.Runtime.Versioning;
using GraphDL.Bench.ElfWeakVersion;

namespace GraphDL.Tests.Bench;

/// <summary>
/// bench/ElfWeakVersion, the tool that lets libLibTorchSharp.so load on Debian 12: it reads the version needs, flips
/// exactly one flag, is idempotent, refuses what it cannot patch, and replaces the file atomically.
/// </summary>
public class ElfWeakVersionTests
{
    private const string File0 = "test.so";

    [Fact]
    public void ReadsEveryVersionNeedWithItsLibrary()
    {
        var needs = VersionNeeds.Read(ElfImages.WithVersionNeeds(), File0);

        Assert.Equal(
            [("libstdc++.so.6", "GLIBCXX_3.4.30"), ("libstdc++.so.6", "GLIBCXX_3.4.32"), ("libc.so.6", "GLIBC_2.34")],
            needs.Select(n => (n.Library, n.Name)));
        Assert.All(needs, n => Assert.False(n.IsWeak));
    }

    [Fact]
    public void MarkWeakSetsOneFlagOfTheNamedVersionOnly()
    {
        var original = ElfImages.WithVersionNeeds();
        var image = (byte[])original.Clone();

        Assert.True(VersionNeeds.MarkWeak(image, "GLIBCXX_3.4.32", File0));

        int flags = ElfImages.VersionNeedsOffset + 32 + 4;
        var changed = Enumerable.Range(0, image.Length).Where(i => image[i] != original[i]).ToArray();
        Assert.Equal([flags], changed);
        Assert.Equal(VersionNeeds.Weak, image[flags]);
        Assert.Equal(["GLIBCXX_3.4.32"], VersionNeeds.Read(image, File0).Where(n => n.IsWeak).Select(n => n.Name));
    }

    [Fact]
    public void MarkWeakIsIdempotent()
    {
        var image = ElfImages.WithVersionNeeds();
        VersionNeeds.MarkWeak(image, "GLIBCXX_3.4.32", File0);
        var once = (byte[])image.Clone();

        Assert.False(VersionNeeds.MarkWeak(image, "GLIBCXX_3.4.32", File0));
        Assert.Equal(once, image);
    }

    [Theory]
    [InlineData(0, 0x7E, "is not an ELF file")]
    [InlineData(4, 1, "is not ELF64")]
    [InlineData(5, 2, "is not little-endian")]
    public void RefusesWhatIsNotElf64LittleEndian(int offset, byte value, string message)
    {
        var image = ElfImages.WithVersionNeeds();
        image[offset] = value;

        var error = Assert.Throws<ElfFormatException>(() => VersionNeeds.MarkWeak(image, "GLIBCXX_3.4.32", File0));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void RefusesAVersionTheFileDoesNotNeed()
    {
        var error = Assert.Throws<ElfFormatException>(() => VersionNeeds.MarkWeak(ElfImages.WithVersionNeeds(), "GLIBCXX_3.4.33", File0));
        Assert.Contains("needs no version named GLIBCXX_3.4.33", error.Message);
    }

    [Fact]
    public void RefusesATruncatedFile()
    {
        // Cut inside the last section header (its link and info), then inside the ELF header.
        var image = ElfImages.WithVersionNeeds();
        Assert.Throws<ElfFormatException>(() => VersionNeeds.Read(image[..(image.Length - 40)], File0));
        Assert.Throws<ElfFormatException>(() => VersionNeeds.Read(image[..40], File0));
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void ReplaceKeepsThePermissionsAndLeavesNoTemporaryFile()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var directory = Directory.CreateTempSubdirectory("elfweak-");
        try
        {
            string path = Path.Combine(directory.FullName, "lib.so");
            File.WriteAllBytes(path, [1, 2, 3]);
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead;
            File.SetUnixFileMode(path, mode);

            AtomicFile.Replace(path, [4, 5]);

            Assert.Equal([4, 5], File.ReadAllBytes(path));
            Assert.Equal(mode, File.GetUnixFileMode(path));
            Assert.Equal(["lib.so"], directory.GetFiles().Select(f => f.Name));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
