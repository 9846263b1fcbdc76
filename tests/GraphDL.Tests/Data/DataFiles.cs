using System.Buffers.Binary;
using System.IO.Compression;
using GraphDL.Runtime.Data;

namespace GraphDL.Tests.Data;

/// <summary>Synthetic IDX files and scratch directories for the data tests.</summary>
internal static class DataFiles
{
    /// <summary>An IDX file: big-endian magic, big-endian dims, then the payload.</summary>
    public static byte[] Idx(uint magic, int[] dims, byte[] payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * i), unchecked((uint)dims[i]));
        }
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    public static byte[] Images(int count, int rows, int cols, Func<int, byte>? pixel = null) =>
        Idx(Runtime.Data.Idx.ImagesMagic, [count, rows, cols],
            Enumerable.Range(0, count * rows * cols).Select(i => pixel?.Invoke(i) ?? (byte)(i % 251)).ToArray());

    public static byte[] Labels(int count, Func<int, byte>? label = null) =>
        Idx(Runtime.Data.Idx.LabelsMagic, [count], Enumerable.Range(0, count).Select(i => label?.Invoke(i) ?? (byte)(i % 10)).ToArray());

    public static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }

    /// <summary>Copies each MNIST file of <paramref name="from"/> into <paramref name="to"/> (decompressing nothing).</summary>
    public static void CopyMnist(string from, string to)
    {
        foreach (var name in Mnist.FileNames)
        {
            var source = Mnist.Find(from, name)!;
            File.Copy(source, Path.Combine(to, Path.GetFileName(source)));
        }
    }
}

/// <summary>A fresh temporary directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("graphdl-data-").FullName;

    public string Path { get; }

    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Sets an environment variable and restores its old value (or absence) on dispose.</summary>
internal sealed class EnvironmentVariableScope : IDisposable
{
    private readonly string _name;
    private readonly string? _old;

    public EnvironmentVariableScope(string name, string? value)
    {
        _name = name;
        _old = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(_name, _old);
}

/// <summary>Collects progress lines synchronously (<see cref="Progress{T}"/> would post them to a thread pool).</summary>
internal sealed class ProgressLog : IProgress<string>
{
    public List<string> Lines { get; } = [];

    public void Report(string value)
    {
        lock (Lines)
        {
            Lines.Add(value);
        }
    }
}
