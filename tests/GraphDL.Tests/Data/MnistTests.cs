using GraphDL.IR;
using GraphDL.Runtime.Data;

namespace GraphDL.Tests.Data;

/// <summary><see cref="Mnist.Load"/> on synthetic files of MNIST's shape (gzip keeps them small on disk).</summary>
public sealed class MnistTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte Pixel(int i) => (byte)(i % 784 == 0 ? 255 : i % 784 == 1 ? 51 : 0);

    private void WriteSplit(string images, string labels, int count, int labelCount)
    {
        _dir.Write(images + ".gz", DataFiles.Gzip(DataFiles.Images(count, 28, 28, Pixel)));
        _dir.Write(labels, DataFiles.Labels(labelCount, i => (byte)((i * 7) % 10)));
    }

    [Fact]
    public void LoadsBothSplits()
    {
        WriteSplit(Mnist.TrainImagesFile, Mnist.TrainLabelsFile, 60000, 60000);
        WriteSplit(Mnist.TestImagesFile, Mnist.TestLabelsFile, 10000, 10000);

        var mnist = Mnist.Load(_dir.Path);
        Assert.Equal(new TensorType(DType.F32, new Shape(60000, 784)), mnist.Train.Images.Type);
        Assert.Equal(new TensorType(DType.I64, new Shape(60000)), mnist.Train.Labels.Type);
        Assert.Equal(new TensorType(DType.F32, new Shape(10000, 784)), mnist.Test.Images.Type);
        Assert.Equal((60000, 10000), (mnist.Train.Count, mnist.Test.Count));
        var pixels = mnist.Test.Images.AsSpan<float>();
        Assert.Equal([1f, 0.2f, 0f], pixels[784..787].ToArray());
        Assert.Equal([0L, 7, 4, 1], mnist.Train.Labels.AsSpan<long>()[..4].ToArray());

        var normalized = Mnist.Load(_dir.Path, normalize: true).Train.Images.AsSpan<float>();
        Assert.Equal((1f - Mnist.Mean) / Mnist.Std, normalized[0]);
        Assert.Equal((0f - Mnist.Mean) / Mnist.Std, normalized[2]);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        WriteSplit(Mnist.TrainImagesFile, Mnist.TrainLabelsFile, 1, 1);
        var e = Assert.Throws<DataException>(() => Mnist.Load(_dir.Path));
        Assert.Contains(Mnist.TrainImagesFile, e.Message); // 1 image, not 60000
        Assert.Contains("1 images, MNIST's train-images-idx3-ubyte has 60000", e.Message);

        File.Delete(Path.Combine(_dir.Path, Mnist.TrainLabelsFile));
        WriteSplit(Mnist.TrainImagesFile + "-unused", "unused", 1, 1);
        File.Delete(Path.Combine(_dir.Path, Mnist.TrainImagesFile + ".gz"));
        e = Assert.Throws<DataException>(() => Mnist.Load(_dir.Path));
        Assert.Equal($"{_dir.Path}: no MNIST file train-images-idx3-ubyte (or train-images-idx3-ubyte.gz)", e.Message);
    }

    [Fact]
    public void LabelCountMustMatchImageCount()
    {
        WriteSplit(Mnist.TrainImagesFile, Mnist.TrainLabelsFile, 60000, 59999);
        var e = Assert.Throws<DataException>(() => Mnist.Load(_dir.Path));
        Assert.Contains($"{Mnist.TrainLabelsFile}: 59999 labels for the 60000 images of", e.Message);
    }

    [Fact]
    public void ImagesMustBe28By28()
    {
        _dir.Write(Mnist.TrainImagesFile, DataFiles.Images(2, 28, 27));
        _dir.Write(Mnist.TrainLabelsFile, DataFiles.Labels(2));
        var e = Assert.Throws<DataException>(() => Mnist.Load(_dir.Path));
        Assert.Contains("images are 28×27, MNIST's are 28×28", e.Message);
    }
}
