using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using GraphDL.IR;

namespace GraphDL.Runtime.Serialization;

/// <summary>
/// The safetensors file format (Hugging Face's, read by PyTorch, JAX and most tools): an 8-byte little-endian header
/// length N, N bytes of UTF-8 JSON, then the tensors' raw little-endian bytes. The header maps each tensor name to
/// <c>{"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]}</c> (offsets into the data region, end exclusive) and
/// may hold <c>"__metadata__"</c>, a map of strings. As the reference writer does, the header is padded with spaces
/// to a multiple of 8 bytes, so the data starts aligned, and the tensors tile the data region with no gaps.
/// <code>
/// Safetensors.Save("model.safetensors", model.StateDict(), new Dictionary&lt;string, string&gt; { ["epoch"] = "3" });
/// var file = Safetensors.Load("model.safetensors");   // validated: see <see cref="Load"/>
/// </code>
/// </summary>
public static partial class Safetensors
{
    /// <summary>The header size the reference implementation refuses beyond (100 MB): a corrupt length fails fast instead of allocating.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The name under which the header keeps the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Safetensors dtype names of GraphDL's dtypes.</summary>
    private static readonly Dictionary<DType, string> Names = new()
    {
        [DType.F32] = "F32",
        [DType.F64] = "F64",
        [DType.F16] = "F16",
        [DType.BF16] = "BF16",
        [DType.I32] = "I32",
        [DType.I64] = "I64",
        [DType.Bool] = "BOOL",
    };

    /// <summary>Dtypes the format defines that GraphDL has no tensor type for: a file using them is valid but cannot be loaded.</summary>
    private static readonly HashSet<string> Unsupported =
        ["U8", "I8", "U16", "I16", "U32", "U64", "C64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4"];

    /// <summary>The safetensors name of <paramref name="dtype"/> (<c>F32</c>, <c>BF16</c>, <c>BOOL</c>, ...).</summary>
    public static string DTypeName(DType dtype) => Names[dtype];

    /// <summary>
    /// Writes <paramref name="tensors"/> (in the given order) and <paramref name="metadata"/> to <paramref name="path"/>
    /// atomically (<see cref="AtomicFile"/>): readers, and a process killed mid-save, see the old file or the whole
    /// new one.
    /// </summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or one is named <c>__metadata__</c>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, HostTensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToArray();
        var header = Header(list, metadata);
        AtomicFile.Write(path, stream => Write(stream, header, list));
    }

    /// <summary>Writes the safetensors bytes of <paramref name="tensors"/> to <paramref name="stream"/> (no atomicity: see <see cref="Save"/>).</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, HostTensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToArray();
        Write(stream, Header(list, metadata), list);
    }

    private static void Write(Stream stream, byte[] header, KeyValuePair<string, HostTensor>[] tensors)
    {
        CheckLittleEndian();
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var (_, tensor) in tensors)
        {
            stream.Write(Bytes(tensor));
        }
    }

    /// <summary>The JSON header, padded with spaces to a multiple of 8 bytes.</summary>
    private static byte[] Header(KeyValuePair<string, HostTensor>[] tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (name == MetadataKey || !seen.Add(name))
            {
                throw new ArgumentException(name == MetadataKey ? $"a tensor cannot be named {MetadataKey}" : $"two tensors are named '{name}'", nameof(tensors));
            }
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", Names[tensor.DType]);
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape.ToArray())
                {
                    json.WriteNumberValue(dim);
                }
                json.WriteEndArray();
                long end = offset + tensor.Type.SizeInBytes;
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        int padding = (8 - buffer.WrittenCount % 8) % 8;
        buffer.Write(Enumerable.Repeat((byte)' ', padding).ToArray());
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The tensor's elements as little-endian bytes (its storage, viewed: the host is little-endian).</summary>
    private static ReadOnlySpan<byte> Bytes(HostTensor tensor) => tensor.DType switch
    {
        DType.F32 => MemoryMarshal.AsBytes(tensor.AsSpan<float>()),
        DType.F64 => MemoryMarshal.AsBytes(tensor.AsSpan<double>()),
        DType.F16 => MemoryMarshal.AsBytes(tensor.AsSpan<Half>()),
        DType.BF16 => MemoryMarshal.AsBytes(tensor.AsSpan<BFloat16>()),
        DType.I32 => MemoryMarshal.AsBytes(tensor.AsSpan<int>()),
        DType.I64 => MemoryMarshal.AsBytes(tensor.AsSpan<long>()),
        DType.Bool => MemoryMarshal.AsBytes(tensor.AsSpan<bool>()),
        _ => throw new ArgumentOutOfRangeException(nameof(tensor), $"dtype {tensor.DType.Name()}"),
    };

    /// <summary>The format is little-endian and tensors are written and read as views of their storage.</summary>
    private static void CheckLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors files are read and written on little-endian hosts only");
        }
    }
}

/// <summary>The contents of a safetensors file: its tensors in header order, and its metadata.</summary>
public sealed class SafetensorsFile
{
    private readonly Dictionary<string, HostTensor> _byName;

    internal SafetensorsFile(IReadOnlyList<KeyValuePair<string, HostTensor>> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
    }

    /// <summary>Name and value of each tensor, in the order the header lists them.</summary>
    public IReadOnlyList<KeyValuePair<string, HostTensor>> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> (empty when it has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors by name.</summary>
    public IReadOnlyDictionary<string, HostTensor> ByName => _byName;
}
