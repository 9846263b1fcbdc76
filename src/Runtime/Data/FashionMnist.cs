namespace GraphDL.Runtime.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research, 2017): 60000 training and 10000 test images of
/// 28×28 grey pixels of ten kinds of clothing, in MNIST's IDX format and file names, so it loads into the same
/// <see cref="Mnist"/> splits. The files come from the Debian package <c>dataset-fashion-mnist</c> (gzip IDX
/// files under <c>/usr/share/datasets/fashion-mnist</c>), fetched without root by <see cref="DebianPackage"/>,
/// verified by SHA-256 and cached in <c>~/.cache/graphdl/fashion-mnist</c>, or read from
/// <c>$GRAPHDL_DATA/fashion-mnist</c> (see <see cref="PinnedDataSet"/>).
/// </summary>
public static class FashionMnist
{
    /// <summary>Mean of the training pixels after scaling to [0, 1].</summary>
    public const float Mean = 0.2860f;

    /// <summary>Standard deviation of the training pixels after scaling to [0, 1].</summary>
    public const float Std = 0.3530f;

    /// <summary>The Debian package the files come from.</summary>
    public const string PackageName = "dataset-fashion-mnist";

    /// <summary>What label k means, for k = 0..9.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>SHA-256 of each file's decompressed content, from <c>dataset-fashion-mnist 0.0~git20200523.55506a9-1</c>.</summary>
    public static IReadOnlyDictionary<string, string> Sha256 { get; } = new Dictionary<string, string>
    {
        [Mnist.TrainImagesFile] = "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        [Mnist.TrainLabelsFile] = "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        [Mnist.TestImagesFile] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        [Mnist.TestLabelsFile] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };

    private static readonly DebianPackage Package = new(PackageName);

    /// <summary>The four files (kept gzip-compressed, as the package ships them), where they are in the package, and their hashes.</summary>
    public static PinnedDataSet DataSet { get; } = new(
        "Fashion-MNIST", "fashion-mnist",
        Mnist.FileNames.Select(name => new PinnedFile(name, Sha256[name], Mnist.FormatOf(name), Package,
            $"usr/share/datasets/fashion-mnist/{name}.gz", name + ".gz")).ToArray());

    /// <summary>
    /// Loads both splits from <paramref name="directory"/>, or, when it is null, from the directory
    /// <see cref="PinnedDataSet.EnsureDownloaded"/> returns (fetching and verifying the files if needed). Pixels are
    /// scaled to [0, 1]; with <paramref name="normalize"/> they become (p − <see cref="Mean"/>) / <see cref="Std"/>.
    /// </summary>
    /// <exception cref="DataException">A file is missing or malformed, a tool is missing, or the counts are not Fashion-MNIST's.</exception>
    public static Mnist Load(string? directory = null, bool normalize = false, IProgress<string>? progress = null)
    {
        directory ??= DataSet.EnsureDownloaded(progress);
        return Mnist.LoadFrom(directory, "Fashion-MNIST", normalize ? (Mean, Std) : null);
    }
}
