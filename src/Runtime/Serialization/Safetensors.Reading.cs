using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using GraphDL.IR;

namespace GraphDL.Runtime.Serialization;

public static partial class Safetensors
{
    /// <summary>One header entry, checked for form but not yet against the data region.</summary>
    private sealed record Entry(string Name, DType DType, Shape Shape, long Begin, long End);

    /// <summary>
    /// Reads a safetensors file, validating it as the reference implementation does before reading any data: the
    /// header length lies within the file (and under <see cref="MaxHeaderBytes"/>), the header is a JSON object
    /// starting with <c>{</c>, each entry has a known dtype, a shape of non-negative dimensions and two data offsets,
    /// its byte count is the shape's product times the dtype's size, and the tensors tile the data region exactly
    /// (inside it, no overlaps, no gaps, nothing after the last). Booleans must be bytes 0 or 1.
    /// </summary>
    /// <exception cref="CheckpointException">The file breaks one of these rules; the message names the tensor at fault.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, unreadable).</exception>
    public static SafetensorsFile Load(string path)
    {
        CheckLittleEndian();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        long fileLength = stream.Length;
        var (entries, metadata, dataStart) = ReadHeader(path, stream, fileLength);
        var tensors = new List<KeyValuePair<string, HostTensor>>(entries.Count);
        var byOffset = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var entry in entries.OrderBy(e => e.Begin))
        {
            stream.Position = dataStart + entry.Begin;
            byOffset[entry.Name] = ReadTensor(path, stream, entry);
        }
        foreach (var entry in entries)
        {
            tensors.Add(KeyValuePair.Create(entry.Name, byOffset[entry.Name]));
        }
        return new SafetensorsFile(tensors, metadata);
    }

    /// <summary>Reads only the header's metadata (validated as <see cref="Load"/> validates the header, without reading the tensors).</summary>
    /// <exception cref="CheckpointException">The header is malformed.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(path, stream, stream.Length).Metadata;
    }

    private static (IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart) ReadHeader(string path, Stream stream, long fileLength)
    {
        if (fileLength < 8)
        {
            throw new CheckpointException(path, null, $"the file has {fileLength} bytes, too few for the 8-byte header length");
        }
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw new CheckpointException(path, null, $"the header length {headerLength} is over the {MaxHeaderBytes}-byte limit (not a safetensors file, or a corrupt one)");
        }
        if ((long)headerLength > fileLength - 8)
        {
            throw new CheckpointException(path, null, $"the header length {headerLength} runs past the end of the file ({fileLength} bytes): the file is truncated or not a safetensors file");
        }
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            throw new CheckpointException(path, null, "the header does not start with '{'");
        }
        // The JSON reader checks UTF-8 only where a string is decoded, which would surface as another exception.
        if (!System.Text.Unicode.Utf8.IsValid(header))
        {
            throw new CheckpointException(path, null, "the header is not valid UTF-8");
        }
        long dataLength = fileLength - 8 - (long)headerLength;
        var (entries, metadata) = ParseHeader(path, header);
        CheckLayout(path, entries, dataLength);
        return (entries, metadata, 8 + (long)headerLength);
    }

    private static (List<Entry> Entries, IReadOnlyDictionary<string, string> Metadata) ParseHeader(string path, byte[] header)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, null, $"the header is not well-formed JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException(path, null, $"the header is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }
            var entries = new List<Entry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            Dictionary<string, string>? metadata = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new CheckpointException(path, property.Name == MetadataKey ? null : property.Name,
                        $"{(property.Name == MetadataKey ? MetadataKey : "the name")} appears twice in the header");
                }
                if (property.Name == MetadataKey)
                {
                    metadata = ParseMetadata(path, property.Value);
                }
                else
                {
                    entries.Add(ParseEntry(path, property.Name, property.Value));
                }
            }
            return (entries, metadata ?? []);
        }
    }

    private static Dictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException(path, null, $"{MetadataKey} must be an object of strings, got a {value.ValueKind.ToString().ToLowerInvariant()}");
        }
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw new CheckpointException(path, null, $"{MetadataKey} entry '{item.Name}' must be a string, got a {item.Value.ValueKind.ToString().ToLowerInvariant()}");
            }
            metadata[item.Name] = item.Value.GetString()!;
        }
        return metadata;
    }

    private static Entry ParseEntry(string path, string name, JsonElement value)
    {
        CheckpointException Bad(string problem) => new(path, name, problem);
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"its header entry must be an object with dtype, shape and data_offsets, got a {value.ValueKind.ToString().ToLowerInvariant()}");
        }
        JsonElement Field(string field) => value.TryGetProperty(field, out var f) ? f : throw Bad($"its header entry has no \"{field}\"");

        var dtypeElement = Field("dtype");
        var dtypeName = dtypeElement.ValueKind == JsonValueKind.String ? dtypeElement.GetString()! : throw Bad("\"dtype\" must be a string");
        var dtype = Names.FirstOrDefault(n => n.Value == dtypeName).Key;
        if (!Names.ContainsValue(dtypeName))
        {
            throw Bad(Unsupported.Contains(dtypeName)
                ? $"dtype {dtypeName} is a safetensors dtype GraphDL has no tensors of (it has {string.Join(", ", Names.Values)})"
                : $"unknown dtype \"{dtypeName}\" (safetensors dtypes GraphDL reads: {string.Join(", ", Names.Values)})");
        }

        var shapeElement = Field("shape");
        if (shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Bad("\"shape\" must be an array of dimensions");
        }
        var dims = new List<int>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            dims.Add(dim.ValueKind == JsonValueKind.Number && dim.TryGetInt32(out int d) && d >= 0
                ? d
                : throw Bad($"shape dimension {dim.GetRawText()} is not an integer in [0, {int.MaxValue}]"));
        }
        var shape = Shape.TryCreate([.. dims]) ?? throw Bad($"shape [{string.Join(",", dims)}] has more than {Shape.MaxElements} elements");

        var offsets = Field("data_offsets");
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw Bad("\"data_offsets\" must be an array [begin, end]");
        }
        long Offset(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long o) && o >= 0
            ? o
            : throw Bad($"data offset {e.GetRawText()} is not a non-negative integer");
        long begin = Offset(offsets[0]), end = Offset(offsets[1]);
        if (end < begin)
        {
            throw Bad($"data_offsets [{begin}, {end}] end before they begin");
        }
        long bytes = shape.ElementCount * dtype.SizeInBytes();
        if (end - begin != bytes)
        {
            throw Bad($"data_offsets [{begin}, {end}] hold {end - begin} bytes, but {dtypeName}{shape} needs {bytes}");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /// <summary>The tensors must tile the data region: sorted by offset, each begins where the previous ends, the first at 0, the last at its end.</summary>
    private static void CheckLayout(string path, List<Entry> entries, long dataLength)
    {
        foreach (var entry in entries)
        {
            if (entry.End > dataLength)
            {
                throw new CheckpointException(path, entry.Name,
                    $"data_offsets [{entry.Begin}, {entry.End}] run past the end of the data region ({dataLength} bytes): the file is truncated or its header is wrong");
            }
        }
        long expected = 0;
        Entry? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < expected)
            {
                throw new CheckpointException(path, entry.Name,
                    $"data_offsets [{entry.Begin}, {entry.End}] overlap tensor '{previous!.Name}' at [{previous.Begin}, {previous.End}]");
            }
            if (entry.Begin > expected)
            {
                throw new CheckpointException(path, entry.Name,
                    $"data_offsets [{entry.Begin}, {entry.End}] leave bytes [{expected}, {entry.Begin}) of the data region to no tensor");
            }
            expected = entry.End;
            previous = entry;
        }
        if (expected != dataLength)
        {
            throw new CheckpointException(path, previous?.Name,
                $"the data region has {dataLength} bytes but the tensors end at byte {expected}: {dataLength - expected} bytes belong to no tensor");
        }
    }

    private static HostTensor ReadTensor(string path, Stream stream, Entry entry)
    {
        var type = new TensorType(entry.DType, entry.Shape);
        HostTensor.CheckAllocatable(type);
        Array storage = entry.DType switch
        {
            DType.F32 => Read<float>(stream, type),
            DType.F64 => Read<double>(stream, type),
            DType.F16 => Read<Half>(stream, type),
            DType.BF16 => Read<BFloat16>(stream, type),
            DType.I32 => Read<int>(stream, type),
            DType.I64 => Read<long>(stream, type),
            DType.Bool => Read<bool>(stream, type),
            _ => throw new InvalidOperationException($"dtype {entry.DType.Name()}"),
        };
        if (storage is bool[] flags)
        {
            var bytes = MemoryMarshal.AsBytes(flags.AsSpan());
            int bad = bytes.IndexOfAnyExcept((byte)0, (byte)1);
            if (bad >= 0)
            {
                throw new CheckpointException(path, entry.Name, $"BOOL element {bad} is byte {bytes[bad]}; booleans are bytes 0 or 1");
            }
        }
        return HostTensor.FromStorage(type, storage);
    }

    private static T[] Read<T>(Stream stream, TensorType type) where T : struct
    {
        var values = new T[type.ElementCount];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
