namespace GraphDL.IR;

/// <summary>
/// A dense, contiguous, row-major tensor in host memory: the values the reference interpreter computes,
/// the literal inside a <c>constant</c> node, the data users feed in and read out.
/// Immutable once built: every factory copies, and readers get read-only spans, so a tensor held by a graph
/// can never be changed behind its back. It lives in IR (not Runtime) because ops evaluate and constants hold it.
/// </summary>
public sealed partial class HostTensor
{
    // float[] | double[] | Half[] | BFloat16[] | int[] | long[] | bool[], matching Type.DType.
    private readonly Array _data;

    private HostTensor(TensorType type, Array data)
    {
        Type = type;
        _data = data;
    }

    public TensorType Type { get; }

    public DType DType => Type.DType;

    public Shape Shape => Type.Shape;

    public long ElementCount => Type.ElementCount;

    // ---- Factories -------------------------------------------------------------------------------------

    /// <summary>A tensor over <paramref name="storage"/> without copying (the executor's kernel outputs); the caller gives it up.</summary>
    internal static HostTensor FromStorage(TensorType type, Array storage)
    {
        if (storage.GetType() != StorageType(type.DType) || storage.LongLength != type.ElementCount)
        {
            throw new ArgumentException($"storage of {storage.GetType().Name}[{storage.LongLength}] cannot hold {type}", nameof(storage));
        }
        return new HostTensor(type, storage);
    }

    /// <summary>The array type that holds elements of <paramref name="dtype"/>.</summary>
    private static Type StorageType(DType dtype) => dtype switch
    {
        DType.F32 => typeof(float[]),
        DType.F64 => typeof(double[]),
        DType.F16 => typeof(Half[]),
        DType.BF16 => typeof(BFloat16[]),
        DType.I32 => typeof(int[]),
        DType.I64 => typeof(long[]),
        DType.Bool => typeof(bool[]),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>The backing array, for the executor to pin and pass to kernels; never written through.</summary>
    internal Array Storage => _data;

    /// <summary>A copy with storage of its own.</summary>
    public HostTensor Copy() => new(Type, (Array)_data.Clone());

    public static HostTensor Zeros(TensorType type) => new(type, AllocateStorage(type));

    public static HostTensor Full(TensorType type, Scalar value)
    {
        var converted = value.CastTo(type.DType);
        var one = converted.DType.IsFloat()
            ? FromDoubles(type.DType, Shape.Scalar, [converted.AsDouble()])
            : FromInt64s(type.DType, Shape.Scalar, [converted.AsInt64()]);
        var storage = AllocateStorage(type);
        switch (storage)
        {
            case float[] a: Array.Fill(a, ((float[])one._data)[0]); break;
            case double[] a: Array.Fill(a, ((double[])one._data)[0]); break;
            case Half[] a: Array.Fill(a, ((Half[])one._data)[0]); break;
            case BFloat16[] a: Array.Fill(a, ((BFloat16[])one._data)[0]); break;
            case int[] a: Array.Fill(a, ((int[])one._data)[0]); break;
            case long[] a: Array.Fill(a, ((long[])one._data)[0]); break;
            case bool[] a: Array.Fill(a, ((bool[])one._data)[0]); break;
        }
        return new HostTensor(type, storage);
    }

    /// <summary>A tensor over a copy of <paramref name="data"/>; the dtype follows the element type (float → f32, long → i64, ...).</summary>
    public static HostTensor FromArray<T>(Shape shape, T[] data) where T : struct
    {
        var dtype = DTypeOf<T>();
        if (data.LongLength != shape.ElementCount)
        {
            throw new ArgumentException($"{data.Length} values do not fill shape {shape} ({shape.ElementCount} elements)", nameof(data));
        }
        return new HostTensor(new TensorType(dtype, shape), (T[])data.Clone());
    }

    public static HostTensor FromArray<T>(T[] data, params int[] dims) where T : struct => FromArray(new Shape(dims), data);

    /// <summary>A rank-0 tensor.</summary>
    public static HostTensor FromScalar(Scalar value) => Full(new TensorType(value.DType, Shape.Scalar), value);

    /// <summary>Rounds each value to <paramref name="dtype"/> (for integer and bool dtypes, converts as <c>cast</c> does).</summary>
    public static HostTensor FromDoubles(DType dtype, Shape shape, ReadOnlySpan<double> values)
    {
        CheckCount(shape, values.Length);
        var type = new TensorType(dtype, shape);
        switch (dtype)
        {
            case DType.F64:
                return new HostTensor(type, values.ToArray());
            case DType.F32:
                return new HostTensor(type, Map(values, v => (float)v));
            case DType.F16:
                return new HostTensor(type, Map(values, v => (Half)FloatFormat.Round(v, DType.F16)));
            case DType.BF16:
                return new HostTensor(type, Map(values, BFloat16.FromDouble));
            default:
                var integers = new long[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    integers[i] = ElementConversion.DoubleToInteger(values[i], dtype);
                }
                return FromInt64s(dtype, shape, integers);
        }
    }

    /// <summary>Wraps each value to <paramref name="dtype"/> (bool: nonzero is true; float dtypes: rounded).</summary>
    public static HostTensor FromInt64s(DType dtype, Shape shape, ReadOnlySpan<long> values)
    {
        CheckCount(shape, values.Length);
        var type = new TensorType(dtype, shape);
        return dtype switch
        {
            DType.I64 => new HostTensor(type, values.ToArray()),
            DType.I32 => new HostTensor(type, Map(values, v => unchecked((int)v))),
            DType.Bool => new HostTensor(type, Map(values, v => v != 0)),
            _ => FromDoubles(dtype, shape, Map(values, v => ElementConversion.Int64ToFloat(v, dtype))),
        };
    }

    public static HostTensor FromBools(Shape shape, ReadOnlySpan<bool> values)
    {
        CheckCount(shape, values.Length);
        return new HostTensor(new TensorType(DType.Bool, shape), values.ToArray());
    }

    /// <summary>One tensor per element, in row-major order, each converted to <paramref name="type"/>'s dtype.</summary>
    public static HostTensor FromScalars(TensorType type, IReadOnlyList<Scalar> values)
    {
        CheckCount(type.Shape, values.Count);
        return type.DType.IsFloat()
            ? FromDoubles(type.DType, type.Shape, values.Select(v => v.CastTo(type.DType).AsDouble()).ToArray())
            : FromInt64s(type.DType, type.Shape, values.Select(v => v.CastTo(type.DType).AsInt64()).ToArray());
    }

    // ---- Element access ----------------------------------------------------------------------------------

    public Scalar GetScalar(long index) => DType.IsFloat()
        ? Scalar.FromDouble(DType, GetDouble(index))
        : Scalar.FromInt64(DType, GetInt64(index));

    /// <summary>The element as a double (exact for every dtype but i64 beyond 2^53).</summary>
    public double GetDouble(long index) => _data switch
    {
        float[] a => a[index],
        double[] a => a[index],
        Half[] a => (double)a[index],
        BFloat16[] a => a[index].ToDouble(),
        int[] a => a[index],
        long[] a => a[index],
        bool[] a => a[index] ? 1 : 0,
        _ => throw new InvalidOperationException("unknown storage"),
    };

    /// <summary>The element as a long (floats convert as <c>cast</c> to i64 does).</summary>
    public long GetInt64(long index) => _data switch
    {
        int[] a => a[index],
        long[] a => a[index],
        bool[] a => a[index] ? 1 : 0,
        _ => ElementConversion.DoubleToInteger(GetDouble(index), DType.I64),
    };

    public bool GetBool(long index) => _data is bool[] a ? a[index] : DType.IsFloat() ? GetDouble(index) != 0 || double.IsNaN(GetDouble(index)) : GetInt64(index) != 0;

    public double[] ToDoubleArray()
    {
        switch (_data)
        {
            case double[] d:
                return (double[])d.Clone();
            case float[] f:
                var widened = new double[f.Length];
                for (int i = 0; i < f.Length; i++)
                {
                    widened[i] = f[i];
                }
                return widened;
        }
        var result = new double[ElementCount];
        for (long i = 0; i < result.LongLength; i++)
        {
            result[i] = GetDouble(i);
        }
        return result;
    }

    public long[] ToInt64Array()
    {
        var result = new long[ElementCount];
        for (long i = 0; i < result.LongLength; i++)
        {
            result[i] = GetInt64(i);
        }
        return result;
    }

    public bool[] ToBoolArray()
    {
        var result = new bool[ElementCount];
        for (long i = 0; i < result.LongLength; i++)
        {
            result[i] = GetBool(i);
        }
        return result;
    }

    /// <summary>The elements in their storage type; <typeparamref name="T"/> must match the dtype.</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : struct => _data is T[] typed
        ? typed
        : throw new InvalidOperationException($"tensor of {DType.Name()} is not stored as {typeof(T).Name}");

    public T[] ToArray<T>() where T : struct => AsSpan<T>().ToArray();

    /// <summary>The same elements under another shape with the same element count (shares the immutable storage).</summary>
    public HostTensor Reshape(Shape shape)
    {
        if (shape.ElementCount != ElementCount)
        {
            throw new ArgumentException($"cannot reshape {Type} to {shape}", nameof(shape));
        }
        return new HostTensor(new TensorType(DType, shape), _data);
    }

    /// <summary>
    /// Builds a tensor of the same dtype whose element i is this tensor's element <c>source(i)</c>, or
    /// <paramref name="fill"/> where <c>source(i)</c> is negative. Exact for every dtype: movement ops are built on it.
    /// </summary>
    public HostTensor Select(Shape shape, Func<long, long> source, Scalar? fill = null)
    {
        var fillTensor = fill is { } f ? FromScalar(f.CastTo(DType)) : null;
        Array result = _data switch
        {
            float[] a => SelectTyped(a, shape, source, fillTensor),
            double[] a => SelectTyped(a, shape, source, fillTensor),
            Half[] a => SelectTyped(a, shape, source, fillTensor),
            BFloat16[] a => SelectTyped(a, shape, source, fillTensor),
            int[] a => SelectTyped(a, shape, source, fillTensor),
            long[] a => SelectTyped(a, shape, source, fillTensor),
            bool[] a => SelectTyped(a, shape, source, fillTensor),
            _ => throw new InvalidOperationException("unknown storage"),
        };
        return new HostTensor(new TensorType(DType, shape), result);
    }

    private static T[] SelectTyped<T>(T[] data, Shape shape, Func<long, long> source, HostTensor? fill)
    {
        var result = (T[])AllocateStorage(new TensorType(DTypeOf<T>(), shape));
        for (long i = 0; i < result.LongLength; i++)
        {
            long from = source(i);
            result[i] = from >= 0 ? data[from]
                : fill is not null ? ((T[])fill._data)[0]
                : throw new ArgumentException("negative source index without a fill value");
        }
        return result;
    }

    /// <summary>Concatenates storage of same-dtype tensors in order (used by <c>concat</c>-like builders).</summary>
    internal static HostTensor FromParts(TensorType type, IReadOnlyList<(HostTensor Source, long SourceIndex)> elements)
    {
        var result = AllocateStorage(type);
        for (int i = 0; i < elements.Count; i++)
        {
            Array.Copy(elements[i].Source._data, elements[i].SourceIndex, result, i, 1);
        }
        return new HostTensor(type, result);
    }

    // ---- Helpers ------------------------------------------------------------------------------------------

    internal static DType DTypeOf<T>() => typeof(T) switch
    {
        var t when t == typeof(float) => DType.F32,
        var t when t == typeof(double) => DType.F64,
        var t when t == typeof(Half) => DType.F16,
        var t when t == typeof(BFloat16) => DType.BF16,
        var t when t == typeof(int) => DType.I32,
        var t when t == typeof(long) => DType.I64,
        var t when t == typeof(bool) => DType.Bool,
        _ => throw new ArgumentException($"{typeof(T).Name} is not a tensor element type"),
    };

    private static void CheckCount(Shape shape, long count)
    {
        if (count != shape.ElementCount)
        {
            throw new ArgumentException($"{count} values do not fill shape {shape} ({shape.ElementCount} elements)");
        }
    }

    private static TOut[] Map<TIn, TOut>(ReadOnlySpan<TIn> values, Func<TIn, TOut> convert)
    {
        var result = new TOut[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = convert(values[i]);
        }
        return result;
    }
}
