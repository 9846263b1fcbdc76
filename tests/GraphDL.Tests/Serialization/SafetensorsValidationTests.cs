using System.Buffers.Binary;
using System.Text;
using GraphDL.IR;
using GraphDL.Runtime.Serialization;

namespace GraphDL.Tests.Serialization;

/// <summary>
/// Every way a safetensors file can be malformed is refused with a <see cref="CheckpointException"/> that names the
/// file and, where one tensor is at fault, that tensor; no corruption gets through as another exception.
/// </summary>
public sealed class SafetensorsValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphdl-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Floats(int count) => new byte[4 * count];

    /// <summary>Loads <paramref name="file"/> and returns the exception, checking it names the file and <paramref name="tensor"/>.</summary>
    private CheckpointException Refused(byte[] file, string? tensor, string fragment)
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<CheckpointException>(() => Safetensors.Load(path));
        Assert.Equal(path, error.FilePath);
        Assert.Equal(tensor, error.Tensor);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path + ": " + (tensor is null ? "" : $"tensor '{tensor}': "), error.Message, StringComparison.Ordinal);
        return error;
    }

    private CheckpointException Refused(string json, byte[] data, string? tensor, string fragment) =>
        Refused(SafetensorsLayoutTests.Layout(json, data), tensor, fragment);

    [Fact]
    public void AFileTooShortForTheHeaderLength() => Refused([1, 2, 3], null, "too few for the 8-byte header length");

    [Fact]
    public void AHeaderLengthPastTheEndOfTheFile()
    {
        var file = SafetensorsLayoutTests.Layout("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(1));
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)file.Length);
        Refused(file, null, "runs past the end of the file");
    }

    [Fact]
    public void AnAbsurdHeaderLength()
    {
        var file = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1UL << 40);
        Refused(file, null, "over the 100000000-byte limit");
    }

    [Fact]
    public void AHeaderThatIsNotAJsonObject()
    {
        Refused(" {}", [], null, "does not start with '{'");
        Refused("[1]", [], null, "does not start with '{'");
        Refused("", [], null, "does not start with '{'");
    }

    [Fact]
    public void MalformedJson()
    {
        Refused("""{"a":{"dtype":"F32","shape":[1],""", Floats(1), null, "not well-formed JSON");
        Refused("""{"a":1}}""", [], null, "not well-formed JSON");
        // A name that is not UTF-8: {"<FF FE>":1}
        byte[] header = [(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        var file = new byte[8].Concat(header).ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        Refused(file, null, "not valid UTF-8");
    }

    [Fact]
    public void EntriesOfTheWrongForm()
    {
        Refused("""{"a":3}""", [], "a", "must be an object");
        Refused("""{"a":{"shape":[1],"data_offsets":[0,4]}}""", Floats(1), "a", "no \"dtype\"");
        Refused("""{"a":{"dtype":"F32","data_offsets":[0,4]}}""", Floats(1), "a", "no \"shape\"");
        Refused("""{"a":{"dtype":"F32","shape":[1]}}""", Floats(1), "a", "no \"data_offsets\"");
        Refused("""{"a":{"dtype":7,"shape":[1],"data_offsets":[0,4]}}""", Floats(1), "a", "\"dtype\" must be a string");
        Refused("""{"a":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}""", Floats(1), "a", "\"shape\" must be an array");
        Refused("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", Floats(1), "a", "shape dimension -1");
        Refused("""{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", Floats(1), "a", "shape dimension 1.5");
        Refused("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", Floats(1), "a", "must be an array [begin, end]");
        Refused("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}""", Floats(1), "a", "data offset -4");
        Refused("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", Floats(1), "a", "end before they begin");
    }

    [Fact]
    public void UnknownAndUnsupportedDTypes()
    {
        Refused("""{"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}""", Floats(1), "a", "unknown dtype \"F33\"");
        Refused("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", Floats(1), "a", "dtype U8 is a safetensors dtype GraphDL has no tensors of");
    }

    [Fact]
    public void AByteCountThatIsNotTheShapesSize() =>
        Refused("""{"ok":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[8,28]}}""", new byte[28],
            "a", "hold 20 bytes, but F32[2,3] needs 24");

    [Fact]
    public void OffsetsPastTheDataRegion() =>
        Refused("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", Floats(2),
            "b", "run past the end of the data region (8 bytes)");

    [Fact]
    public void OverlappingTensors() =>
        Refused("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", Floats(3),
            "b", "overlap tensor 'a' at [0, 8]");

    [Fact]
    public void TwoNamesForTheSameBytes() =>
        Refused("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}}""", Floats(2),
            "b", "overlap tensor 'a'");

    [Fact]
    public void BytesThatBelongToNoTensor()
    {
        Refused("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", Floats(3),
            "b", "leave bytes [4, 8) of the data region to no tensor");
        Refused("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Floats(2), "a", "4 bytes belong to no tensor");
        Refused("""{}""", Floats(1), null, "4 bytes belong to no tensor");
    }

    [Fact]
    public void DuplicateNames()
    {
        Refused("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", Floats(2),
            "a", "appears twice");
        Refused("""{"__metadata__":{},"__metadata__":{}}""", [], null, "__metadata__ appears twice");
    }

    [Fact]
    public void MetadataThatIsNotStrings()
    {
        Refused("""{"__metadata__":{"epoch":3}}""", [], null, "__metadata__ entry 'epoch' must be a string");
        Refused("""{"__metadata__":[]}""", [], null, "__metadata__ must be an object of strings");
    }

    [Fact]
    public void BooleansThatAreNotZeroOrOne() =>
        Refused("""{"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}""", [1, 2, 0], "m", "BOOL element 1 is byte 2");

    [Fact]
    public void EveryTruncationAndEverySingleByteCorruptionIsACheckpointErrorOrLoads()
    {
        var path = Path.Combine(_dir, "good.safetensors");
        Safetensors.Save(path, SafetensorsLayoutTests.EveryDType(), new Dictionary<string, string> { ["k"] = "v" });
        var good = File.ReadAllBytes(path);
        var bad = Path.Combine(_dir, "cut.safetensors");
        for (int length = 0; length < good.Length; length++)
        {
            File.WriteAllBytes(bad, good[..length]);
            Assert.Throws<CheckpointException>(() => Safetensors.Load(bad));
        }
        // Every byte of the header, replaced by each of a few values: refused or (a change that keeps it valid) loaded.
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(good);
        foreach (int position in Enumerable.Range(0, headerEnd))
        {
            foreach (byte value in new byte[] { 0, (byte)'"', (byte)'9', (byte)'}', 0xFF })
            {
                var corrupt = good.ToArray();
                corrupt[position] = value;
                File.WriteAllBytes(bad, corrupt);
                try
                {
                    Safetensors.Load(bad);
                }
                catch (CheckpointException)
                {
                }
            }
        }
        Assert.Equal(Encoding.ASCII.GetBytes("{"), good[8..9]);
    }
}
