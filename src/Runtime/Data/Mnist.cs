using GraphDL.IR;

namespace GraphDL.Runtime.Data;

/// <summary>One split of MNIST: images f32 [N, 784] and labels i64 [N] (digits 0 to 9).</summary>
public sealed class MnistSplit
{
    internal MnistSplit(HostTensor images, HostTensor labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>f32 [N, 784]: each row one 28×28 image, row-major, in [0, 1] or normalized (see <see cref="Mnist.Load"/>).</summary>
    public HostTensor Images { get; }

    /// <summary>i64 [N]: the digit each image shows.</summary>
    public HostTensor Labels { get; }

    public int Count => Labels.Shape[0];
}

/// <summary>
/// The MNIST handwritten digits (LeCun, Cortes and Burges): 60000 training and 10000 test images of 28×28 pixels,
/// read from the four IDX files (plain or <c>.gz</c>) by <see cref="Idx"/>.
/// </summary>
public sealed class Mnist
{
    /// <summary>Mean of the training pixels after scaling to [0, 1] (the customary normalization constant).</summary>
    public const float Mean = 0.1307f;

    /// <summary>Standard deviation of the training pixels after scaling to [0, 1].</summary>
    public const float Std = 0.3081f;

    public const int TrainCount = 60000;
    public const int TestCount = 10000;
    public const int Side = 28;
    public const int Pixels = Side * Side;
    public const int Classes = 10;

    /// <summary>The four file names of the distribution (each may also be present as <c>NAME.gz</c>).</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";
    public const string TestImagesFile = "t10k-images-idx3-ubyte";
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>The four file names, images before labels, train before test.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile];

    private Mnist(MnistSplit train, MnistSplit test)
    {
        Train = train;
        Test = test;
    }

    public MnistSplit Train { get; }

    public MnistSplit Test { get; }

    /// <summary>
    /// Loads both splits from <paramref name="directory"/>, or, when it is null, from the directory
    /// <see cref="MnistFetcher.EnsureDownloaded"/> returns (fetching and verifying the files if needed).
    /// Pixels are scaled to [0, 1]; with <paramref name="normalize"/> they become (p − <see cref="Mean"/>) / <see cref="Std"/>.
    /// </summary>
    /// <exception cref="DataException">A file is missing or malformed, or the counts are not MNIST's.</exception>
    public static Mnist Load(string? directory = null, bool normalize = false, IProgress<string>? progress = null)
    {
        directory ??= MnistFetcher.EnsureDownloaded(progress);
        return LoadFrom(directory, "MNIST", normalize ? (Mean, Std) : null);
    }

    /// <summary>
    /// Both splits of an MNIST-format data set (MNIST, Fashion-MNIST) named <paramref name="name"/> in messages, with
    /// pixels scaled to [0, 1] and then, when <paramref name="normalization"/> is given, to (p − mean) / std.
    /// </summary>
    internal static Mnist LoadFrom(string directory, string name, (float Mean, float Std)? normalization)
    {
        var train = LoadSplit(directory, name, TrainImagesFile, TrainLabelsFile, TrainCount, normalization);
        var test = LoadSplit(directory, name, TestImagesFile, TestLabelsFile, TestCount, normalization);
        return new Mnist(train, test);
    }

    /// <summary>How each of the four files is read: images or labels.</summary>
    internal static PinnedFileFormat FormatOf(string name) =>
        name.Contains("images", StringComparison.Ordinal) ? PinnedFileFormat.IdxImages : PinnedFileFormat.IdxLabels;

    /// <summary>The path of <paramref name="name"/> in <paramref name="directory"/>, plain or with <c>.gz</c> (plain wins), or null.</summary>
    public static string? Find(string directory, string name)
    {
        var plain = Path.Combine(directory, name);
        if (File.Exists(plain))
        {
            return plain;
        }
        var gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    private static string Require(string directory, string dataSet, string name) =>
        Find(directory, name) ?? throw new DataException($"{directory}: no {dataSet} file {name} (or {name}.gz)");

    private static MnistSplit LoadSplit(string directory, string dataSet, string imagesName, string labelsName, int expected,
        (float Mean, float Std)? normalization)
    {
        var imagesPath = Require(directory, dataSet, imagesName);
        var labelsPath = Require(directory, dataSet, labelsName);
        var images = Idx.ReadImages(imagesPath);
        if (images.Rows != Side || images.Cols != Side)
        {
            throw new DataException($"{imagesPath}: images are {images.Rows}×{images.Cols}, {dataSet}'s are {Side}×{Side}");
        }
        if (images.Count != expected)
        {
            throw new DataException($"{imagesPath}: {images.Count} images, {dataSet}'s {imagesName} has {expected}");
        }
        var labels = Idx.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
        {
            throw new DataException($"{labelsPath}: {labels.Length} labels for the {images.Count} images of {imagesPath}");
        }

        // Per byte value, computed as torchvision does: p / 255, then (x − mean) / std, in f32.
        Span<float> table = stackalloc float[256];
        for (int v = 0; v < 256; v++)
        {
            float x = v / 255f;
            table[v] = normalization is { } n ? (x - n.Mean) / n.Std : x;
        }
        var pixels = new float[images.Pixels.Length];
        var source = images.Pixels;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = table[source[i]];
        }
        var classes = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= Classes)
            {
                throw new DataException($"{labelsPath}: label {labels[i]} at index {i} is not a class 0 to 9");
            }
            classes[i] = labels[i];
        }
        return new MnistSplit(
            HostTensor.FromArray(pixels, images.Count, Pixels),
            HostTensor.FromArray(classes, labels.Length));
    }
}
