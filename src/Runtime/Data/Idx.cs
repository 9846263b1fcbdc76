using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace GraphDL.Runtime.Data;

/// <summary>The images of an IDX file: <see cref="Count"/> images of <see cref="Rows"/>×<see cref="Cols"/> bytes, row-major.</summary>
public sealed class IdxImages
{
    public IdxImages(int count, int rows, int cols, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)count * rows * cols)
        {
            throw new ArgumentException($"{pixels.LongLength} pixels do not fill {count}×{rows}×{cols}", nameof(pixels));
        }
        Count = count;
        Rows = rows;
        Cols = cols;
        Pixels = pixels;
    }

    public int Count { get; }

    public int Rows { get; }

    public int Cols { get; }

    /// <summary>Count×Rows×Cols bytes, image after image, each row-major; 0 is background.</summary>
    public byte[] Pixels { get; }
}

/// <summary>
/// Reads the IDX files of LeCun's MNIST distribution: images (magic 0x00000803: unsigned bytes, three big-endian
/// 32-bit dimensions count, rows, cols) and labels (magic 0x00000801: unsigned bytes, one dimension count), plain or
/// gzip-compressed (recognised by the 1f 8b header, whatever the file is called). Everything is checked: the magic
/// number, the element type, the number of dimensions, that the dimensions are sane, and that the payload is exactly
/// as long as the header says. A file that fails any check throws <see cref="DataException"/> naming the file.
/// </summary>
public static class Idx
{
    /// <summary>Magic number of an IDX file of unsigned bytes with three dimensions (images).</summary>
    public const uint ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with one dimension (labels).</summary>
    public const uint LabelsMagic = 0x00000801;

    /// <summary>Largest rows or cols accepted: real IDX images are tiny, a huge side means a corrupt header.</summary>
    public const int MaxSide = 1 << 16;

    /// <summary>The images of an IDX image file (plain or gzip).</summary>
    /// <exception cref="DataException">The file cannot be opened, or is not a well-formed IDX image file.</exception>
    public static IdxImages ReadImages(string path) => ReadImages(path, hash: null);

    /// <summary>The labels of an IDX label file (plain or gzip), one byte per sample.</summary>
    /// <exception cref="DataException">The file cannot be opened, or is not a well-formed IDX label file.</exception>
    public static byte[] ReadLabels(string path) => ReadLabels(path, hash: null);

    internal static IdxImages ReadImages(string path, IncrementalHash? hash)
    {
        var (dims, payload) = Read(path, ImagesMagic, hash);
        return new IdxImages(dims[0], dims[1], dims[2], payload);
    }

    internal static byte[] ReadLabels(string path, IncrementalHash? hash) => Read(path, LabelsMagic, hash).Payload;

    /// <summary>Reads and checks a whole file; <paramref name="hash"/>, if given, sees every (decompressed) byte.</summary>
    private static (int[] Dims, byte[] Payload) Read(string path, uint magic, IncrementalHash? hash)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot open: {e.Message}", e);
        }
        using (file)
        {
            bool gzip = IsGzip(file);
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            var reader = new Reader(path, stream, hash, gzip ? "decompressed file" : "file");
            try
            {
                return Parse(reader, magic);
            }
            catch (InvalidDataException e)
            {
                throw new DataException($"{path}: corrupt gzip data: {e.Message}", e);
            }
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> start = stackalloc byte[2];
        int n = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && start[0] == 0x1f && start[1] == 0x8b;
    }

    private static (int[] Dims, byte[] Payload) Parse(Reader reader, uint expectedMagic)
    {
        string path = reader.Path;
        int expectedRank = (int)(expectedMagic & 0xff);
        string what = expectedMagic == ImagesMagic ? "images" : "labels";
        string dimNames = expectedMagic == ImagesMagic ? "count×rows×cols" : "count";
        int headerLength = 4 + 4 * expectedRank;

        Span<byte> magicBytes = stackalloc byte[4];
        int got = reader.Fill(magicBytes);
        if (got < 4)
        {
            throw new DataException($"{path}: truncated: an IDX {what} header needs {headerLength} bytes, {reader.Noun} has {got}");
        }
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(magicBytes);
        if (magic != expectedMagic)
        {
            throw new DataException($"{path}: {DescribeWrongMagic(magic, expectedMagic, what, dimNames)}");
        }

        Span<byte> dimBytes = stackalloc byte[4 * expectedRank];
        got = reader.Fill(dimBytes);
        if (got < dimBytes.Length)
        {
            throw new DataException($"{path}: truncated: an IDX {what} header needs {headerLength} bytes, {reader.Noun} has {4 + got}");
        }
        var dims = new int[expectedRank];
        long total = 1;
        for (int i = 0; i < expectedRank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(dimBytes[(4 * i)..]);
            bool isCount = i == 0;
            if (d > int.MaxValue || (!isCount && (d == 0 || d > MaxSide)))
            {
                string name = dimNames.Split('×')[i];
                string limit = isCount ? $"0 to {int.MaxValue}" : $"1 to {MaxSide}";
                throw new DataException($"{path}: corrupt header: {name} is {d}, expected {limit}");
            }
            dims[i] = (int)d;
            total *= d;
        }
        string shape = string.Join("×", dims);
        string payloadNoun = expectedMagic == ImagesMagic ? "pixels" : "labels";
        string says = expectedRank == 1
            ? $"header says {total} {payloadNoun}"
            : $"header says {shape} = {total} bytes of {payloadNoun}";
        if (total > Array.MaxLength)
        {
            throw new DataException($"{path}: corrupt header: {says}, more than an array can hold");
        }

        var payload = new byte[total];
        long have = reader.Fill(payload);
        if (have < total)
        {
            throw new DataException($"{path}: truncated: {says}, {reader.Noun} has {have} after the {headerLength}-byte header");
        }
        long extra = reader.CountRest();
        if (extra > 0)
        {
            throw new DataException($"{path}: too long: {says}, {reader.Noun} has {extra} more bytes after them");
        }
        return (dims, payload);
    }

    private static string DescribeWrongMagic(uint magic, uint expected, string what, string dimNames)
    {
        string found = $"0x{magic:x8}";
        string wanted = $"expected 0x{expected:x8} ({what})";
        if ((magic & 0xffff0000) != 0)
        {
            return $"not an IDX file: magic number {found}, {wanted}";
        }
        uint type = (magic >> 8) & 0xff;
        uint rank = magic & 0xff;
        if (type != 0x08)
        {
            return $"wrong magic number {found}: element type 0x{type:x2} is not unsigned byte (0x08); {wanted}";
        }
        if (magic == LabelsMagic || magic == ImagesMagic)
        {
            string other = magic == LabelsMagic ? "labels" : "images";
            return $"wrong magic number {found}: this is an IDX file of {other}, {wanted}";
        }
        return $"wrong number of dimensions: magic number {found} says {rank}, {what} have {expected & 0xff} ({dimNames}), magic 0x{expected:x8}";
    }

    /// <summary>Reads from the (possibly decompressing) stream, feeding every byte to the hash.</summary>
    private sealed class Reader(string path, Stream stream, IncrementalHash? hash, string noun)
    {
        public string Path => path;

        /// <summary>"file" or "decompressed file", for messages.</summary>
        public string Noun => noun;

        /// <summary>Fills as much of <paramref name="buffer"/> as the stream holds; returns how much it filled.</summary>
        public int Fill(Span<byte> buffer)
        {
            int n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            hash?.AppendData(buffer[..n]);
            return n;
        }

        /// <summary>Reads to the end, returning how many bytes were left.</summary>
        public long CountRest()
        {
            var buffer = new byte[1 << 16];
            long count = 0;
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                hash?.AppendData(buffer.AsSpan(0, n));
                count += n;
            }
            return count;
        }
    }
}
