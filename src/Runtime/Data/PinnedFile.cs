using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace GraphDL.Runtime.Data;

/// <summary>How a data file is read when it is verified: its format is checked along with its hash.</summary>
public enum PinnedFileFormat
{
    /// <summary>An IDX file of images (<see cref="Idx.ReadImages(string)"/>).</summary>
    IdxImages,

    /// <summary>An IDX file of labels (<see cref="Idx.ReadLabels(string)"/>).</summary>
    IdxLabels,

    /// <summary>UTF-8 text.</summary>
    Text,
}

/// <summary>
/// One file of a <see cref="PinnedDataSet"/>: the name it has in the data directory (plain, or with <c>.gz</c>), the
/// SHA-256 of its content (of the decompressed bytes for a <c>.gz</c> copy, so either form verifies), and where it
/// comes from: <paramref name="Entry"/>, a path inside <paramref name="Source"/>'s package, stored under
/// <paramref name="StoredName"/> (the name, or the name with <c>.gz</c> when the package ships it compressed).
/// </summary>
public sealed record PinnedFile(string Name, string Sha256, PinnedFileFormat Format, DataSource Source, string Entry, string StoredName)
{
    /// <summary>A file stored as the package ships it uncompressed.</summary>
    public PinnedFile(string name, string sha256, PinnedFileFormat format, DataSource source, string entry)
        : this(name, sha256, format, source, entry, name)
    {
    }

    /// <summary>The path of this file in <paramref name="directory"/>, plain or with <c>.gz</c> (plain wins), or null.</summary>
    public string? Find(string directory)
    {
        var plain = Path.Combine(directory, Name);
        if (File.Exists(plain))
        {
            return plain;
        }
        var gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    /// <summary>Reads the file at <paramref name="path"/> in its format and returns the SHA-256 of its (decompressed) content.</summary>
    /// <exception cref="DataException">The file cannot be read or is malformed for its format.</exception>
    internal string Hash(string path)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        switch (Format)
        {
            case PinnedFileFormat.IdxImages:
                Idx.ReadImages(path, hash);
                break;
            case PinnedFileFormat.IdxLabels:
                Idx.ReadLabels(path, hash);
                break;
            default:
                ReadText(path, hash);
                break;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The content of a text file (plain or gzip), checked to be UTF-8; <paramref name="hash"/>, if given, sees every byte.</summary>
    /// <exception cref="DataException">The file cannot be opened, is corrupt gzip, or is not UTF-8.</exception>
    internal static string ReadText(string path, IncrementalHash? hash = null)
    {
        byte[] bytes;
        try
        {
            using var file = File.OpenRead(path);
            var start = new byte[2];
            int n = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
            file.Position = 0;
            using Stream stream = n == 2 && start[0] == 0x1f && start[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
            var memory = new MemoryStream();
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{path}: corrupt gzip data: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataException($"{path}: cannot read: {e.Message}", e);
        }
        hash?.AppendData(bytes);
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataException($"{path}: not UTF-8 text: invalid bytes at offset {e.Index}", e);
        }
    }
}
