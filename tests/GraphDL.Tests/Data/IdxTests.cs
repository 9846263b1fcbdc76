using GraphDL.IR;
using GraphDL.Runtime.Data;

namespace GraphDL.Tests.Data;

/// <summary>The IDX reader on small synthetic files: good files, gzip, and every kind of damage.</summary>
public sealed class IdxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private DataException ImagesError(string name, byte[] bytes)
    {
        var path = _dir.Write(name, bytes);
        var e = Assert.Throws<DataException>(() => Idx.ReadImages(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.IsAssignableFrom<GraphDLException>(e);
        return e;
    }

    private DataException LabelsError(string name, byte[] bytes)
    {
        var path = _dir.Write(name, bytes);
        var e = Assert.Throws<DataException>(() => Idx.ReadLabels(path));
        Assert.StartsWith(path + ": ", e.Message);
        return e;
    }

    [Fact]
    public void ReadsImages()
    {
        var images = Idx.ReadImages(_dir.Write("imgs-idx3-ubyte", DataFiles.Images(3, 2, 4)));
        Assert.Equal((3, 2, 4), (images.Count, images.Rows, images.Cols));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (byte)i), images.Pixels);
    }

    [Fact]
    public void ReadsLabels()
    {
        var labels = Idx.ReadLabels(_dir.Write("labels-idx1-ubyte", DataFiles.Labels(12)));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (byte)(i % 10)), labels);
    }

    [Fact]
    public void ReadsEmptyFiles()
    {
        Assert.Equal(0, Idx.ReadImages(_dir.Write("none-images", DataFiles.Images(0, 28, 28))).Count);
        Assert.Empty(Idx.ReadLabels(_dir.Write("none-labels", DataFiles.Labels(0))));
    }

    [Theory]
    [InlineData("imgs-idx3-ubyte.gz")]
    [InlineData("gzip-without-suffix")] // recognised by the 1f 8b header, not the name
    public void ReadsGzip(string name)
    {
        var images = Idx.ReadImages(_dir.Write(name, DataFiles.Gzip(DataFiles.Images(3, 2, 4))));
        Assert.Equal((3, 2, 4), (images.Count, images.Rows, images.Cols));
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (byte)i), images.Pixels);
        var labels = Idx.ReadLabels(_dir.Write("l-" + name, DataFiles.Gzip(DataFiles.Labels(7))));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (byte)i), labels);
    }

    [Fact]
    public void TruncatedHeader()
    {
        var e = ImagesError("short-header-idx3-ubyte", DataFiles.Images(3, 2, 4)[..10]);
        Assert.Contains("short-header-idx3-ubyte: truncated: an IDX images header needs 16 bytes, file has 10", e.Message);
        e = ImagesError("tiny-idx3-ubyte", [0, 0]);
        Assert.Contains("truncated: an IDX images header needs 16 bytes, file has 2", e.Message);
        e = LabelsError("empty-idx1-ubyte", []);
        Assert.Contains("empty-idx1-ubyte: truncated: an IDX labels header needs 8 bytes, file has 0", e.Message);
    }

    [Fact]
    public void TruncatedPayload()
    {
        var e = ImagesError("cut-idx3-ubyte", DataFiles.Images(3, 2, 4)[..^4]);
        Assert.Contains("cut-idx3-ubyte: truncated: header says 3×2×4 = 24 bytes of pixels, file has 20 after the 16-byte header", e.Message);
        e = LabelsError("cut-idx1-ubyte", DataFiles.Labels(10)[..^1]);
        Assert.Contains("cut-idx1-ubyte: truncated: header says 10 labels, file has 9 after the 8-byte header", e.Message);
    }

    [Fact]
    public void TruncatedPayloadInGzip()
    {
        var e = ImagesError("cut-idx3-ubyte.gz", DataFiles.Gzip(DataFiles.Images(3, 2, 4)[..^4]));
        Assert.Contains("cut-idx3-ubyte.gz: truncated: header says 3×2×4 = 24 bytes of pixels, decompressed file has 20", e.Message);
    }

    [Fact]
    public void TruncatedGzipStream()
    {
        // Cutting the compressed stream itself: either the gzip layer or the length check must object.
        var gz = DataFiles.Gzip(DataFiles.Images(50, 28, 28));
        var e = ImagesError("cut-stream-idx3-ubyte.gz", gz[..(gz.Length / 2)]);
        Assert.Matches("truncated|corrupt gzip", e.Message);
    }

    [Fact]
    public void CorruptGzip()
    {
        byte[] garbage = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04];
        var e = ImagesError("garbage-idx3-ubyte.gz", garbage);
        Assert.Matches("corrupt gzip data|truncated", e.Message);
        // A flipped byte in the middle of the deflate data (the CRC or the structure catches it).
        var gz = DataFiles.Gzip(DataFiles.Images(20, 28, 28));
        gz[gz.Length / 2] ^= 0xff;
        e = ImagesError("flipped-idx3-ubyte.gz", gz);
        Assert.Matches("corrupt gzip data|truncated|too long", e.Message);
    }

    [Fact]
    public void ExtraBytes()
    {
        var e = ImagesError("long-idx3-ubyte", [.. DataFiles.Images(3, 2, 4), 1, 2, 3, 4, 5]);
        Assert.Contains("long-idx3-ubyte: too long: header says 3×2×4 = 24 bytes of pixels, file has 5 more bytes after them", e.Message);
        e = LabelsError("long-idx1-ubyte.gz", DataFiles.Gzip([.. DataFiles.Labels(4), 9]));
        Assert.Contains("long-idx1-ubyte.gz: too long: header says 4 labels, decompressed file has 1 more bytes after them", e.Message);
    }

    [Fact]
    public void WrongMagic()
    {
        var e = ImagesError("labels-as-images", DataFiles.Labels(5));
        Assert.Contains("labels-as-images: wrong magic number 0x00000801: this is an IDX file of labels, expected 0x00000803 (images)", e.Message);
        e = LabelsError("images-as-labels", DataFiles.Images(1, 2, 2));
        Assert.Contains("images-as-labels: wrong magic number 0x00000803: this is an IDX file of images, expected 0x00000801 (labels)", e.Message);
        e = ImagesError("png-idx3-ubyte", [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Contains("png-idx3-ubyte: not an IDX file: magic number 0x89504e47", e.Message);
        e = ImagesError("floats-idx3-ubyte", DataFiles.Idx(0x00000D03, [1, 1, 1], [0, 0, 0, 0]));
        Assert.Contains("floats-idx3-ubyte: wrong magic number 0x00000d03: element type 0x0d is not unsigned byte (0x08)", e.Message);
    }

    [Fact]
    public void WrongNumberOfDimensions()
    {
        var e = ImagesError("rank2-idx2-ubyte", DataFiles.Idx(0x00000802, [3, 4], new byte[12]));
        Assert.Contains("rank2-idx2-ubyte: wrong number of dimensions: magic number 0x00000802 says 2, images have 3 (count×rows×cols)", e.Message);
        e = LabelsError("rank2-labels", DataFiles.Idx(0x00000802, [3, 4], new byte[12]));
        Assert.Contains("rank2-labels: wrong number of dimensions: magic number 0x00000802 says 2, labels have 1 (count)", e.Message);
    }

    [Fact]
    public void InsaneDimensions()
    {
        var e = ImagesError("zero-rows", DataFiles.Idx(Idx.ImagesMagic, [3, 0, 4], []));
        Assert.Contains("zero-rows: corrupt header: rows is 0, expected 1 to 65536", e.Message);
        e = ImagesError("wide", DataFiles.Idx(Idx.ImagesMagic, [1, 1, 1 << 20], []));
        Assert.Contains("wide: corrupt header: cols is 1048576, expected 1 to 65536", e.Message);
        e = ImagesError("negative-count", DataFiles.Idx(Idx.ImagesMagic, [-1, 28, 28], []));
        Assert.Contains("negative-count: corrupt header: count is 4294967295, expected 0 to 2147483647", e.Message);
        e = ImagesError("huge", DataFiles.Idx(Idx.ImagesMagic, [int.MaxValue, 28, 28], []));
        Assert.Contains("huge: corrupt header: header says 2147483647×28×28 = 1683627179248 bytes of pixels, more than an array can hold", e.Message);
    }

    [Fact]
    public void MissingFile()
    {
        var path = Path.Combine(_dir.Path, "absent-idx3-ubyte");
        var e = Assert.Throws<DataException>(() => Idx.ReadImages(path));
        Assert.StartsWith(path + ": cannot open", e.Message);
    }
}
