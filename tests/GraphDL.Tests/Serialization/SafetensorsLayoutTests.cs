using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using GraphDL.IR;
using GraphDL.Runtime.Serialization;

namespace GraphDL.Tests.Serialization;

/// <summary>
/// The files follow the published safetensors layout: a reader written here from the layout alone (8-byte
/// little-endian N, N bytes of JSON, raw little-endian data at data_offsets) reads what GraphDL writes, and GraphDL
/// reads bytes laid out by hand as the reference writer lays them out (tensors sorted by dtype, metadata first).
/// </summary>
public sealed class SafetensorsLayoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphdl-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>One tensor of every dtype, with awkward values (NaN, -0, subnormals, extremes), rank 0 and a size-0 dimension.</summary>
    internal static KeyValuePair<string, HostTensor>[] EveryDType() =>
    [
        new("f32", HostTensor.FromArray([1.5f, -0f, float.NaN, float.PositiveInfinity, 1e-45f, -3.25f], 2, 3)),
        new("f64", HostTensor.FromArray([Math.PI, double.Epsilon, -1e300], 3)),
        new("f16", HostTensor.FromDoubles(DType.F16, new Shape(2, 2), [0.5, -65504, 6e-8, 1])),
        new("bf16", HostTensor.FromDoubles(DType.BF16, new Shape(3), [1.0, -2.5e38, 0.1])),
        new("i32", HostTensor.FromArray([int.MinValue, -1, 0, int.MaxValue], 4)),
        new("i64", HostTensor.FromArray([long.MinValue, 42L], 2, 1)),
        new("bool", HostTensor.FromBools(new Shape(5), [true, false, false, true, true])),
        new("scalar", HostTensor.FromScalar(Scalar.FromDouble(DType.F32, 7))),
        new("empty", HostTensor.Zeros(new TensorType(DType.F32, new Shape(0, 4)))),
    ];

    [Fact]
    public void EveryDTypeRoundTripsBitForBit()
    {
        var path = PathOf("all.safetensors");
        var tensors = EveryDType();
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["note"] = "héllo \"quoted\"" });
        var file = Safetensors.Load(path);
        Assert.Equal(tensors.Select(t => t.Key), file.Tensors.Select(t => t.Key));
        foreach (var (name, tensor) in tensors)
        {
            Assert.True(tensor.BitEquals(file.ByName[name]), $"{name}: {tensor} came back as {file.ByName[name]}");
        }
        Assert.Equal("héllo \"quoted\"", file.Metadata["note"]);
        Assert.Equal("héllo \"quoted\"", Safetensors.ReadMetadata(path)["note"]);
    }

    /// <summary>What a reader that knows only the published layout sees in a file.</summary>
    private static (Dictionary<string, (string DType, long[] Shape, byte[] Bytes)> Tensors, Dictionary<string, string> Metadata, int HeaderLength) ReadByTheSpec(byte[] file)
    {
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(0, 8));
        var header = JsonDocument.Parse(file.AsMemory(8, (int)n));
        var data = file.AsSpan(8 + (int)n);
        var tensors = new Dictionary<string, (string, long[], byte[])>();
        var metadata = new Dictionary<string, string>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (var m in entry.Value.EnumerateObject())
                {
                    metadata[m.Name] = m.Value.GetString()!;
                }
                continue;
            }
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            tensors[entry.Name] = (entry.Value.GetProperty("dtype").GetString()!,
                entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                data[(int)offsets[0]..(int)offsets[1]].ToArray());
        }
        return (tensors, metadata, (int)n);
    }

    [Fact]
    public void AReaderWrittenFromThePublishedLayoutReadsWhatGraphDLWrites()
    {
        var path = PathOf("w.safetensors");
        Safetensors.Save(path, EveryDType(), new Dictionary<string, string> { ["format"] = "pt" });
        var bytes = File.ReadAllBytes(path);
        var (tensors, metadata, headerLength) = ReadByTheSpec(bytes);

        Assert.Equal(0, (8 + headerLength) % 8);              // padded with spaces so the data starts aligned
        Assert.Equal((byte)'{', bytes[8]);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal("F32", tensors["f32"].DType);
        Assert.Equal([2L, 3L], tensors["f32"].Shape);
        Assert.Equal(BitConverter.GetBytes(1.5f).Concat(BitConverter.GetBytes(-0f)), tensors["f32"].Bytes.Take(8));
        Assert.Equal(BitConverter.GetBytes(Math.PI), tensors["f64"].Bytes.Take(8));
        Assert.Equal([0x00, 0x38], tensors["f16"].Bytes.Take(2));           // 0.5 in IEEE half: 0x3800, little-endian
        Assert.Equal([0x80, 0x3F], tensors["bf16"].Bytes.Take(2));          // 1.0 in bfloat16: 0x3F80
        Assert.Equal(BitConverter.GetBytes(int.MinValue), tensors["i32"].Bytes.Take(4));
        Assert.Equal(BitConverter.GetBytes(42L), tensors["i64"].Bytes.Skip(8));
        Assert.Equal([1, 0, 0, 1, 1], tensors["bool"].Bytes);
        Assert.Equal("F32", tensors["scalar"].DType);
        Assert.Empty(tensors["scalar"].Shape);
        Assert.Equal(BitConverter.GetBytes(7f), tensors["scalar"].Bytes);
        Assert.Empty(tensors["empty"].Bytes);
        Assert.Equal(["BF16", "BOOL", "F16", "F32", "F64", "I32", "I64"], tensors.Values.Select(t => t.DType).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(bytes.Length - 8 - headerLength, tensors.Values.Sum(t => t.Bytes.Length));
    }

    /// <summary>A file laid out by hand: header JSON, padded or not, then the data.</summary>
    internal static byte[] Layout(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    [Fact]
    public void GraphDLReadsAFileLaidOutAsTheReferenceWriterDoes()
    {
        // The reference writer puts __metadata__ first and sorts tensors by dtype size (largest first), then by name;
        // it pads the header with spaces. The data here: f64 [2] = (1, -2), f32 [] = 0.25, i32 [1,2] = (3, 4), bool [2].
        var data = BitConverter.GetBytes(1.0).Concat(BitConverter.GetBytes(-2.0)).Concat(BitConverter.GetBytes(0.25f))
            .Concat(BitConverter.GetBytes(3)).Concat(BitConverter.GetBytes(4)).Concat(new byte[] { 1, 0 }).ToArray();
        var json = """{"__metadata__":{"format":"pt"},"w":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"s":{"dtype":"F32","shape":[],"data_offsets":[16,20]},"n":{"dtype":"I32","shape":[1,2],"data_offsets":[20,28]},"m":{"dtype":"BOOL","shape":[2],"data_offsets":[28,30]}}""";
        json += new string(' ', (8 - json.Length % 8) % 8);
        var path = PathOf("torch.safetensors");
        File.WriteAllBytes(path, Layout(json, data));
        var file = Safetensors.Load(path);
        Assert.Equal(["w", "s", "n", "m"], file.Tensors.Select(t => t.Key));
        Assert.Equal([1.0, -2.0], file.ByName["w"].ToArray<double>());
        Assert.Equal(0.25f, file.ByName["s"].AsSpan<float>()[0]);
        Assert.Equal(new TensorType(DType.I32, new Shape(1, 2)), file.ByName["n"].Type);
        Assert.Equal([3, 4], file.ByName["n"].ToArray<int>());
        Assert.Equal([true, false], file.ByName["m"].ToArray<bool>());
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void WritingRefusesDuplicateAndReservedNames()
    {
        var t = HostTensor.FromArray([1f], 1);
        Assert.Throws<ArgumentException>(() => Safetensors.Save(PathOf("d.safetensors"), [new("a", t), new("a", t)]));
        Assert.Throws<ArgumentException>(() => Safetensors.Save(PathOf("d.safetensors"), [new("__metadata__", t)]));
        Assert.False(File.Exists(PathOf("d.safetensors")));
    }
}
