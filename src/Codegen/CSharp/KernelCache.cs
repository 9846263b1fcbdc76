using System.Security.Cryptography;
using System.Text;
using GraphDL.IR;

namespace GraphDL.Codegen.CSharp;

/// <summary>
/// A persistent cache of compiled kernel assemblies under the user's cache directory (<c>~/.cache/graphdl/kernels</c>,
/// or <c>GRAPHDL_CACHE</c>), keyed by a SHA-256 of the generated source, the Roslyn version and the runtime version.
/// Each entry is the image plus a sidecar holding the image's own SHA-256: an entry whose bytes do not match (a
/// corrupted or foreign file) is ignored and rebuilt, never loaded blindly. Writes are atomic. Set
/// <c>GRAPHDL_KERNEL_CACHE=0</c> to disable.
/// </summary>
public static class KernelCache
{
    private static readonly string Salt = $"roslyn {typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation).Assembly.GetName().Version} / {Environment.Version} / v1";

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

    /// <summary>The cached image for <paramref name="source"/>, or null when absent, unreadable or not matching its checksum.</summary>
    public static MemoryStream? TryLoad(string source)
    {
        if (!Enabled)
        {
            return null;
        }
        var key = Key(source);
        try
        {
            var image = File.ReadAllBytes(Path.Combine(Directory, key + ".dll"));
            var expected = File.ReadAllText(Path.Combine(Directory, key + ".sha256")).Trim();
            return Convert.ToHexStringLower(SHA256.HashData(image)) == expected ? new MemoryStream(image) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores an image (best effort: a read-only or full disk only costs the next compile).</summary>
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
            AtomicFile.Write(Path.Combine(Directory, key + ".dll"), image);
            AtomicFile.Write(Path.Combine(Directory, key + ".sha256"), Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(image))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
