using System.Buffers.Binary;
using System.Text;

namespace GraphDL.Bench.ElfWeakVersion;

/// <summary>One version requirement (an <c>Elf64_Vernaux</c> entry): a version name needed from a shared library.</summary>
/// <param name="Library">The library that must define the version (the owning <c>Elf64_Verneed</c>'s <c>vn_file</c>).</param>
/// <param name="Name">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="FlagsOffset">File offset of the entry's 16-bit <c>vna_flags</c>.</param>
/// <param name="Flags">The flags as read (<see cref="VersionNeeds.Weak"/> is the one this tool sets).</param>
public sealed record VersionNeed(string Library, string Name, long FlagsOffset, ushort Flags)
{
    public bool IsWeak => (Flags & VersionNeeds.Weak) != 0;
}

/// <summary>
/// Reads the version requirements of an ELF64 little-endian file from its <c>SHT_GNU_verneed</c> section
/// (<c>.gnu.version_r</c>), and marks chosen ones weak.
/// <para>The dynamic loader refuses to load an object that needs a version its dependency lacks, unless the
/// requirement carries <c>VER_FLG_WEAK</c>; then it loads, and only a symbol bound to that version would fail to
/// resolve when used. Layouts follow the System V gABI and the LSB's symbol versioning chapter:
/// <c>Elf64_Ehdr</c> (64 bytes), <c>Elf64_Shdr</c> (64 bytes), <c>Elf64_Verneed</c> and <c>Elf64_Vernaux</c>
/// (16 bytes each, chained by byte offsets <c>vn_next</c>/<c>vna_next</c>).</para>
/// </summary>
public static class VersionNeeds
{
    /// <summary><c>VER_FLG_WEAK</c>: a missing version is not an error at load time.</summary>
    public const ushort Weak = 0x2;

    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>Every version requirement of the file's image, in section order.</summary>
    public static IReadOnlyList<VersionNeed> Read(byte[] image, string path)
    {
        CheckHeader(image, path);
        var span = image.AsSpan();
        long sectionHeaders = checked((long)U64(span, 0x28, path));
        int headerSize = U16(span, 0x3A, path);
        int sectionCount = U16(span, 0x3C, path);
        if (headerSize != 64)
        {
            throw new ElfFormatException(path, $"section headers are {headerSize} bytes, not the 64 of ELF64");
        }

        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionHeaders + (long)s * headerSize;
            if (U32(span, header + 4, path) != ShtGnuVerneed)
            {
                continue;
            }
            long offset = checked((long)U64(span, header + 24, path));
            long size = checked((long)U64(span, header + 32, path));
            uint linkedStrings = U32(span, header + 40, path);
            uint entryCount = U32(span, header + 44, path);
            long stringHeader = sectionHeaders + (long)linkedStrings * headerSize;
            long strings = checked((long)U64(span, stringHeader + 24, path));
            return ReadNeeds(span, offset, offset + size, entryCount, strings, path);
        }
        throw new ElfFormatException(path, "has no .gnu.version_r (SHT_GNU_verneed) section");
    }

    /// <summary>
    /// Sets <see cref="Weak"/> on the requirement named <paramref name="version"/> in <paramref name="image"/>.
    /// Returns false when it was weak already (the image is unchanged).
    /// </summary>
    public static bool MarkWeak(byte[] image, string version, string path)
    {
        var matches = Read(image, path).Where(n => n.Name == version).ToList();
        if (matches.Count == 0)
        {
            throw new ElfFormatException(path, $"needs no version named {version}");
        }
        bool changed = false;
        foreach (var need in matches.Where(n => !n.IsWeak))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(checked((int)need.FlagsOffset)), (ushort)(need.Flags | Weak));
            changed = true;
        }
        return changed;
    }

    private static void CheckHeader(ReadOnlySpan<byte> image, string path)
    {
        if (image.Length < 64 || !image[..4].SequenceEqual("\u007FELF"u8))
        {
            throw new ElfFormatException(path, "is not an ELF file");
        }
        if (image[4] != 2)
        {
            throw new ElfFormatException(path, $"is not ELF64 (EI_CLASS is {image[4]}, not 2)");
        }
        if (image[5] != 1)
        {
            throw new ElfFormatException(path, $"is not little-endian (EI_DATA is {image[5]}, not 1)");
        }
    }

    private static List<VersionNeed> ReadNeeds(ReadOnlySpan<byte> image, long start, long end, uint count, long strings, string path)
    {
        var needs = new List<VersionNeed>();
        long verneed = start;
        for (uint i = 0; i < count; i++)
        {
            if (verneed + 16 > end)
            {
                throw new ElfFormatException(path, "a Verneed entry runs past the end of .gnu.version_r");
            }
            int auxCount = U16(image, verneed + 2, path);
            string library = CString(image, strings + U32(image, verneed + 4, path), path);
            long vernaux = verneed + U32(image, verneed + 8, path);
            for (int a = 0; a < auxCount; a++)
            {
                if (vernaux + 16 > end)
                {
                    throw new ElfFormatException(path, "a Vernaux entry runs past the end of .gnu.version_r");
                }
                string name = CString(image, strings + U32(image, vernaux + 8, path), path);
                needs.Add(new VersionNeed(library, name, vernaux + 4, U16(image, vernaux + 4, path)));
                vernaux += U32(image, vernaux + 12, path);
            }
            verneed += U32(image, verneed + 12, path);
        }
        return needs;
    }

    private static ReadOnlySpan<byte> At(ReadOnlySpan<byte> image, long offset, int length, string path) =>
        offset >= 0 && offset + length <= image.Length
            ? image.Slice((int)offset, length)
            : throw new ElfFormatException(path, $"is truncated: needs bytes {offset}..{offset + length} of {image.Length}");

    private static ushort U16(ReadOnlySpan<byte> image, long offset, string path) => BinaryPrimitives.ReadUInt16LittleEndian(At(image, offset, 2, path));

    private static uint U32(ReadOnlySpan<byte> image, long offset, string path) => BinaryPrimitives.ReadUInt32LittleEndian(At(image, offset, 4, path));

    private static ulong U64(ReadOnlySpan<byte> image, long offset, string path) => BinaryPrimitives.ReadUInt64LittleEndian(At(image, offset, 8, path));

    private static string CString(ReadOnlySpan<byte> image, long offset, string path)
    {
        var rest = At(image, offset, (int)Math.Min(int.MaxValue, image.Length - offset), path);
        int length = rest.IndexOf((byte)0);
        return length < 0 ? throw new ElfFormatException(path, $"string at {offset} is not terminated") : Encoding.ASCII.GetString(rest[..length]);
    }
}
