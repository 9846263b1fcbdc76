// Marks version requirements of an ELF64 little-endian shared object weak (VER_FLG_WEAK), so that the dynamic loader
// accepts a dependency that lacks those versions. Used by bench/GraphDL.Bench.Torch on its build-output copy of
// libLibTorchSharp.so, never on the NuGet package cache; bench/README.md says why.
//
//   dotnet ElfWeakVersion.dll FILE VERSION...     e.g.  libLibTorchSharp.so GLIBCXX_3.4.32
//
// Checked: a file that is not ELF64 little-endian, or that needs none of the named versions, is refused (exit 1) and
// left untouched; a file whose requirements are weak already is left untouched (idempotent); otherwise the patched
// image is written to a temporary file beside it and renamed over it, so a reader never sees half a file and a
// hard link to the original (e.g. in a package cache) keeps the original bytes.
using GraphDL.Bench.ElfWeakVersion;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ElfWeakVersion FILE VERSION...");
    return 2;
}

string path = args[0];
try
{
    var image = File.ReadAllBytes(path);
    bool changed = false;
    foreach (var version in args.Skip(1))
    {
        bool marked = VersionNeeds.MarkWeak(image, version, path);
        Console.WriteLine($"{path}: {version} {(marked ? "marked weak" : "already weak")}");
        changed |= marked;
    }
    if (changed)
    {
        AtomicFile.Replace(path, image);
    }
    return 0;
}
catch (Exception e) when (e is ElfFormatException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"ElfWeakVersion: {e.Message}");
    return 1;
}
