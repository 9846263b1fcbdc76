using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using GraphDL.IR;

namespace GraphDL.Codegen.CSharp;

/// <summary>
/// A persistent cache of compiled kernel assemblies under the user's cache directory (<c>~/.cache/graphdl/kernels</c>,
/// or <c>GRAPHDL_CACHE</c>), keyed by a SHA-256 of the generated source, the Roslyn version and the runtime version.
/// Each entry is the image plus a sidecar holding the image's own SHA-256. An entry is used only when its bytes match
/// the sidecar, the image is a whole PE file, and the assembly it defines is named after the key
/// (<see cref="AssemblyName"/>), so a corrupted, truncated or foreign file (another entry's image under this key's
/// name) is never run: it is removed and rebuilt, with one warning line on stderr. Writes are atomic; a cache that
/// cannot be written costs only the next compile, and says so once. The cache is bounded: after each store, entries
/// unused for <c>GRAPHDL_KERNEL_CACHE_MAX_AGE_DAYS</c> (default 30) are removed, then the least recently used until
/// the entries take at most <c>GRAPHDL_KERNEL_CACHE_MAX_MB</c> megabytes (default 1024). Set
/// <c>GRAPHDL_KERNEL_CACHE=0</c> to disable it.
/// </summary>
public static partial class KernelCache
{
    private static readonly string Salt = $"roslyn {typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation).Assembly.GetName().Version} / {Environment.Version} / v2";

    public static string Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("GRAPHDL_CACHE") is { Length: > 0 } root)
            {
                return Path.Combine(root, "kernels");
            }
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
                : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "graphdl", "kernels");
        }
    }

    private static bool Enabled => Environment.GetEnvironmentVariable("GRAPHDL_KERNEL_CACHE") != "0";

    /// <summary>The cache key of a generated source.</summary>
    public static string Key(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Salt + "\n" + source)));

    /// <summary>
    /// The name of the assembly compiled from the source with cache key <paramref name="key"/>: the whole key, so an
    /// image proves which source it came from once loaded.
    /// </summary>
    public static string AssemblyName(string key) => "GraphDL.Generated." + key;

    /// <summary>Where warnings go (stderr unless a test listens).</summary>
    internal static TextWriter? Log { get; set; }

    private static void Warn(string message) => (Log ?? Console.Error).WriteLine($"graphdl: warning: kernel cache: {message}");

    private static string ImagePath(string key) => Path.Combine(Directory, key + ".dll");

    private static string ChecksumPath(string key) => Path.Combine(Directory, key + ".sha256");

    /// <summary>
    /// The cached image for <paramref name="source"/>, or null when there is none. An entry that fails its checksum,
    /// is not a whole PE image, or defines another assembly than <see cref="AssemblyName"/> of the key is removed with
    /// a warning, and null returned so the caller rebuilds it.
    /// </summary>
    public static MemoryStream? TryLoad(string source)
    {
        if (!Enabled)
        {
            return null;
        }
        var key = Key(source);
        byte[] image;
        string expected;
        try
        {
            image = File.ReadAllBytes(ImagePath(key));
            expected = File.ReadAllText(ChecksumPath(key)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Absent, or half of an entry whose writer died between its two files: a miss, rebuilt and rewritten.
            return null;
        }
        var problem = Convert.ToHexStringLower(SHA256.HashData(image)) != expected
            ? "its image does not match its checksum"
            : Inspect(image, key);
        if (problem is not null)
        {
            Reject(source, problem);
            return null;
        }
        MarkUsed(key);
        return new MemoryStream(image, writable: false);
    }

    /// <summary>
    /// Why <paramref name="image"/> cannot be the assembly compiled for <paramref name="key"/> (null when it can): a
    /// PE file cut short, not a .NET assembly, or one under another name.
    /// </summary>
    private static string? Inspect(byte[] image, string key)
    {
        try
        {
            using var pe = new PEReader(new MemoryStream(image, writable: false));
            var headers = pe.PEHeaders;
            foreach (var section in headers.SectionHeaders)
            {
                if ((long)section.PointerToRawData + section.SizeOfRawData > image.Length)
                {
                    return $"its image is truncated ({image.Length} bytes; section {section.Name} ends at byte {(long)section.PointerToRawData + section.SizeOfRawData})";
                }
            }
            if (!pe.HasMetadata)
            {
                return "its image is not a .NET assembly";
            }
            var metadata = pe.GetMetadataReader();
            var name = metadata.GetString(metadata.GetAssemblyDefinition().Name);
            return name == AssemblyName(key) ? null : $"its image is assembly {name}, not {AssemblyName(key)}";
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException)
        {
            return $"its image is not a valid assembly ({e.Message})";
        }
    }

    /// <summary>
    /// Removes the entry for <paramref name="source"/>, which is unusable for <paramref name="reason"/>, with one
    /// warning line; the caller compiles the source again (and <see cref="Store"/>s the new image).
    /// </summary>
    public static void Reject(string source, string reason)
    {
        var key = Key(source);
        string outcome = "removed it; compiling again";
        try
        {
            File.Delete(ImagePath(key));
            File.Delete(ChecksumPath(key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            outcome = $"cannot remove it ({e.Message}); compiling again without the cache";
            // This line already says the directory cannot be written: Store need not say it again.
            Interlocked.Exchange(ref _unwritable, Directory);
        }
        Warn($"entry {key[..16]} in {Directory} is unusable: {reason}; {outcome}");
    }

    /// <summary>Stores an image (best effort: a read-only or full disk costs only the next compile, and is reported once).</summary>
    public static void Store(string source, byte[] image)
    {
        if (!Enabled)
        {
            return;
        }
        var key = Key(source);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            AtomicFile.Write(ImagePath(key), image);
            AtomicFile.Write(ChecksumPath(key), Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(image))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WarnOnce(ref _unwritable, Directory, $"cannot write to {Directory} ({e.Message}); compiled kernels are not cached");
            return;
        }
        Evict(Directory, keep: key, MaxBytes, MaxAge);
    }

    private static string? _unwritable;

    /// <summary>Warns with <paramref name="message"/> unless the last warning of its kind was about the same <paramref name="subject"/>.</summary>
    private static void WarnOnce(ref string? lastSubject, string subject, string message)
    {
        if (Interlocked.Exchange(ref lastSubject, subject) != subject)
        {
            Warn(message);
        }
    }
}
