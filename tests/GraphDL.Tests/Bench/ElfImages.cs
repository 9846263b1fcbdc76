using System.Buffers.Binary;
using System.Text;

namespace GraphDL.Tests.Bench;

/// <summary>
/// A minimal ELF64 little-endian image with a <c>.dynstr</c> and a <c>.gnu.version_r</c> section: libstdc++.so.6
/// needing GLIBCXX_3.4.30 and GLIBCXX_3.4.32, libc.so.6 needing GLIBC_2.34 (all flags clear), as a linker lays them out.
/// </summary>
internal static class ElfImages
{
    public const int VersionNeedsOffset = 0x90;

    public static byte[] WithVersionNeeds()
    {
        var strings = Encoding.ASCII.GetBytes("\0libstdc++.so.6\0GLIBCXX_3.4.30\0GLIBCXX_3.4.32\0libc.so.6\0GLIBC_2.34\0");
        int Name(string s) => Encoding.ASCII.GetString(strings).IndexOf("\0" + s + "\0", StringComparison.Ordinal) + 1;
        const int StringsOffset = 0x40, NeedsSize = 5 * 16, SectionHeaders = VersionNeedsOffset + NeedsSize;
        var image = new byte[SectionHeaders + 3 * 64];
        var span = image.AsSpan();

        "\u007FELF"u8.CopyTo(span);
        image[4] = 2; // ELFCLASS64
        image[5] = 1; // ELFDATA2LSB
        image[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x10..], 3); // ET_DYN
        BinaryPrimitives.WriteUInt64LittleEndian(span[0x28..], SectionHeaders);
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x34..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x3A..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x3C..], 3);
        if (StringsOffset + strings.Length > VersionNeedsOffset)
        {
            throw new InvalidOperationException(".dynstr overlaps .gnu.version_r");
        }
        strings.CopyTo(span[StringsOffset..]);

        int at = VersionNeedsOffset;
        Verneed(span[at..], count: 2, file: Name("libstdc++.so.6"), next: 48);
        Vernaux(span[(at + 16)..], Name("GLIBCXX_3.4.30"), other: 2, next: 16);
        Vernaux(span[(at + 32)..], Name("GLIBCXX_3.4.32"), other: 3, next: 0);
        Verneed(span[(at + 48)..], count: 1, file: Name("libc.so.6"), next: 0);
        Vernaux(span[(at + 64)..], Name("GLIBC_2.34"), other: 4, next: 0);

        // [0] SHT_NULL, [1] .dynstr (SHT_STRTAB), [2] .gnu.version_r (SHT_GNU_verneed, linked to [1], 2 entries).
        Section(span[(SectionHeaders + 64)..], type: 3, offset: StringsOffset, size: strings.Length, link: 0, info: 0);
        Section(span[(SectionHeaders + 128)..], type: 0x6ffffffe, offset: VersionNeedsOffset, size: NeedsSize, link: 1, info: 2);
        return image;
    }

    private static void Verneed(Span<byte> at, int count, int file, int next)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], (uint)file);
        BinaryPrimitives.WriteUInt32LittleEndian(at[8..], 16);
        BinaryPrimitives.WriteUInt32LittleEndian(at[12..], (uint)next);
    }

    private static void Vernaux(Span<byte> at, int name, int other, int next)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(at, 0x0a0b0c0d); // vna_hash: not read
        BinaryPrimitives.WriteUInt16LittleEndian(at[6..], (ushort)other);
        BinaryPrimitives.WriteUInt32LittleEndian(at[8..], (uint)name);
        BinaryPrimitives.WriteUInt32LittleEndian(at[12..], (uint)next);
    }

    private static void Section(Span<byte> at, uint type, long offset, long size, uint link, uint info)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], type);
        BinaryPrimitives.WriteUInt64LittleEndian(at[24..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(at[32..], (ulong)size);
        BinaryPrimitives.WriteUInt32LittleEndian(at[40..], link);
        BinaryPrimitives.WriteUInt32LittleEndian(at[44..], info);
    }
}
