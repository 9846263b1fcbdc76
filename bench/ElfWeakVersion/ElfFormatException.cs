namespace GraphDL.Bench.ElfWeakVersion;

/// <summary>The file is not an ELF64 little-endian object this tool can patch, or lacks what it was asked to patch.</summary>
public sealed class ElfFormatException(string path, string message) : Exception($"{path}: {message}")
{
    public string Path { get; } = path;
}
