namespace GraphDL.Runtime.Data;

/// <summary>
/// Files shipped inside a Debian package, fetched without root: <c>apt-get download NAME</c> into a scratch
/// directory, then <c>dpkg -x</c> to unpack it there (nothing is installed). When the machine's package lists do
/// not know the package (never updated, or another release), the download is retried through a private apt state in
/// the scratch directory: a copy of the machine's source lists, updated there, so neither root nor the machine's own
/// lists are touched.
/// </summary>
public sealed class DebianPackage(string name) : DataSource
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The package name, e.g. <c>dataset-fashion-mnist</c>.</summary>
    public string Name { get; } = name;

    public override string Description => $"Debian package {Name}";

    public override IReadOnlyList<string> Tools { get; } = ["apt-get", "dpkg"];

    public override string InstallAdvice => "apt-get and dpkg come with Debian and Ubuntu";

    public override string FetchingMessage => $"fetching {Name} with apt-get download...";

    internal override void Fetch(IReadOnlyDictionary<string, string> tools, string work, IReadOnlyDictionary<string, string> wanted)
    {
        var download = Path.Combine(work, "download");
        Directory.CreateDirectory(download);
        var (code, output) = ExternalTool.Run(tools["apt-get"], ["download", Name], download, Timeout);
        if (code != 0)
        {
            DownloadWithPrivateState(tools["apt-get"], work, download, $"apt-get download {Name}: {ExternalTool.Tail(output)}");
        }
        var debs = Directory.GetFiles(download, "*.deb");
        var deb = debs.Length == 1
            ? debs[0]
            : throw new DataException($"apt-get download {Name} wrote {debs.Length} .deb files in {download}, expected one");
        var root = Path.Combine(work, "root");
        Directory.CreateDirectory(root);
        RunOrThrow(tools["dpkg"], ["-x", deb, root], work, Timeout);
        Extract(deb, root, wanted);
    }

    /// <summary>Writes the wanted entries of an unpacked package (paths relative to <paramref name="root"/>) to their destinations.</summary>
    internal static void Extract(string origin, string root, IReadOnlyDictionary<string, string> wanted)
    {
        var full = Path.GetFullPath(root) + Path.DirectorySeparatorChar;
        var written = new HashSet<string>();
        foreach (var (entry, destination) in wanted)
        {
            var path = Path.GetFullPath(Path.Combine(root, entry.TrimStart('/')));
            if (!path.StartsWith(full, StringComparison.Ordinal))
            {
                throw new DataException($"{origin}: {entry} is outside the package");
            }
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                continue;
            }
            if (info.LinkTarget is not null)
            {
                throw new DataException($"{origin}: {entry} is a link, not a regular file");
            }
            using var content = info.OpenRead();
            Write(origin, entry, content, info.Length, destination);
            written.Add(entry);
        }
        RequireAll(origin, wanted, written);
    }

    /// <summary>
    /// <c>apt-get update</c> and <c>download</c> with lists, cache and status under <paramref name="work"/>, the
    /// sources copied from the machine's <c>/etc/apt</c>: works as any user, changes nothing outside the scratch directory.
    /// </summary>
    private void DownloadWithPrivateState(string aptGet, string work, string download, string firstFailure)
    {
        var state = Path.Combine(work, "apt");
        var parts = Path.Combine(state, "sources");
        Directory.CreateDirectory(Path.Combine(state, "lists", "partial"));
        Directory.CreateDirectory(Path.Combine(state, "cache", "archives", "partial"));
        Directory.CreateDirectory(parts);
        File.WriteAllText(Path.Combine(state, "status"), "");
        int copied = 0;
        if (File.Exists("/etc/apt/sources.list"))
        {
            File.Copy("/etc/apt/sources.list", Path.Combine(parts, "00-sources.list"));
            copied++;
        }
        if (Directory.Exists("/etc/apt/sources.list.d"))
        {
            foreach (var file in Directory.EnumerateFiles("/etc/apt/sources.list.d"))
            {
                if (file.EndsWith(".list", StringComparison.Ordinal) || file.EndsWith(".sources", StringComparison.Ordinal))
                {
                    File.Copy(file, Path.Combine(parts, Path.GetFileName(file)));
                    copied++;
                }
            }
        }
        if (copied == 0)
        {
            throw new DataException($"{firstFailure}; and the machine has no apt sources (/etc/apt/sources.list or sources.list.d) to fetch it with");
        }
        string[] options =
        [
            "-o", $"Dir::State::Lists={Path.Combine(state, "lists")}",
            "-o", $"Dir::State::status={Path.Combine(state, "status")}",
            "-o", $"Dir::Cache={Path.Combine(state, "cache")}",
            "-o", $"Dir::Etc::SourceParts={parts}",
            "-o", "Dir::Etc::SourceList=/dev/null",
            "-o", "Debug::NoLocking=1",
        ];
        RunOrThrow(aptGet, [.. options, "-qq", "update"], work, Timeout);
        RunOrThrow(aptGet, [.. options, "download", Name], download, Timeout);
    }
}
