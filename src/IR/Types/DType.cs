namespace GraphDL.IR;

/// <summary>Element types of tensors. The text form is the lower-case name (<c>f32</c>, <c>i64</c>, <c>bool</c>).</summary>
public enum DType
{
    F32,
    F64,
    F16,
    BF16,
    I32,
    I64,
    Bool,
}

/// <summary>Facts about <see cref="DType"/>: names, sizes, categories.</summary>
public static class DTypes
{
    /// <summary>Every dtype, in declaration order.</summary>
    public static IReadOnlyList<DType> All { get; } = Enum.GetValues<DType>();

    public static string Name(this DType dtype) => dtype switch
    {
        DType.F32 => "f32",
        DType.F64 => "f64",
        DType.F16 => "f16",
        DType.BF16 => "bf16",
        DType.I32 => "i32",
        DType.I64 => "i64",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    public static bool TryParse(string name, out DType dtype)
    {
        foreach (var candidate in All)
        {
            if (candidate.Name() == name)
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>Bytes per element (bool is stored as one byte).</summary>
    public static int SizeInBytes(this DType dtype) => dtype switch
    {
        DType.F64 or DType.I64 => 8,
        DType.F32 or DType.I32 => 4,
        DType.F16 or DType.BF16 => 2,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    public static bool IsFloat(this DType dtype) => dtype is DType.F32 or DType.F64 or DType.F16 or DType.BF16;

    public static bool IsInteger(this DType dtype) => dtype is DType.I32 or DType.I64;

    public static bool IsBool(this DType dtype) => dtype == DType.Bool;

    /// <summary>Float or integer: the types arithmetic is defined on.</summary>
    public static bool IsNumeric(this DType dtype) => dtype.IsFloat() || dtype.IsInteger();

    /// <summary>Number of explicit mantissa bits plus the implicit one, for float types.</summary>
    public static int MantissaBits(this DType dtype) => dtype switch
    {
        DType.F64 => 53,
        DType.F32 => 24,
        DType.F16 => 11,
        DType.BF16 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), $"{dtype.Name()} is not a float type"),
    };
}
