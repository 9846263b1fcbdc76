using GraphDL.Codegen.CSharp;

namespace GraphDL.Tests.Codegen;

/// <summary>The on-disk kernel cache: hits reuse the image, corrupted or foreign entries are rebuilt, never loaded.</summary>
[Collection("environment")]
public sealed class KernelCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphdl-cache-").FullName;
    private readonly string? _previous = Environment.GetEnvironmentVariable("GRAPHDL_CACHE");

    public KernelCacheTests() => Environment.SetEnvironmentVariable("GRAPHDL_CACHE", _root);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", _previous);
        Directory.Delete(_root, recursive: true);
    }

    private static (string, string)[] Kernel(int constant) =>
        [("k0", $"    public static unsafe void k0(nint* b) {{ *(int*)b[0] = {constant}; }}\n")];

    private static unsafe int Call(CompiledProgram program)
    {
        int result = 0;
        nint pointer = (nint)(&result);
        ((delegate*<nint*, void>)program["k0"])(&pointer);
        return result;
    }

    [Fact]
    public void ASecondCompileIsACacheHitAndCorruptEntriesAreRebuilt()
    {
        string image;
        using (var first = CompiledProgram.Compile(Kernel(7), "cached"))
        {
            Assert.Equal(7, Call(first));
            image = Path.Combine(KernelCache.Directory, KernelCache.Key(first.Source) + ".dll");
        }
        Assert.True(File.Exists(image));
        var stamp = File.GetLastWriteTimeUtc(image);
        using (var second = CompiledProgram.Compile(Kernel(7), "cached"))
        {
            Assert.Equal(7, Call(second));
        }
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(image));

        // a foreign image under the right name (here: a different kernel's) fails its checksum and is rebuilt
        string otherImage;
        using (var other = CompiledProgram.Compile(Kernel(9), "other"))
        {
            Assert.Equal(9, Call(other));
            otherImage = Path.Combine(KernelCache.Directory, KernelCache.Key(other.Source) + ".dll");
        }
        File.Copy(otherImage, image, overwrite: true);
        using (var rebuilt = CompiledProgram.Compile(Kernel(7), "cached"))
        {
            Assert.Equal(7, Call(rebuilt));
        }

        // truncated garbage is ignored too
        File.WriteAllBytes(image, [1, 2, 3]);
        using (var again = CompiledProgram.Compile(Kernel(7), "cached"))
        {
            Assert.Equal(7, Call(again));
        }
        Assert.NotEqual(3, new FileInfo(image).Length);
    }
}
