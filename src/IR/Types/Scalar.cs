using System.Globalization;

namespace GraphDL.IR;

/// <summary>
/// One typed number: a literal operand, a <c>full</c> or <c>pad</c> value, an element of a tensor.
/// Floats are held as doubles already rounded to their dtype; integers and bools as longs
/// (i32 wrapped to 32 bits, bool as 0 or 1), so every dtype is represented exactly.
/// </summary>
public readonly struct Scalar : IEquatable<Scalar>
{
    private readonly double _float;
    private readonly long _integer;

    private Scalar(DType dtype, double floatValue, long integerValue)
    {
        DType = dtype;
        _float = floatValue;
        _integer = integerValue;
    }

    public DType DType { get; }

    /// <summary>A float value rounded to <paramref name="dtype"/>; for integer and bool dtypes it converts as <c>cast</c> does.</summary>
    public static Scalar FromDouble(DType dtype, double value) => dtype.IsFloat()
        ? new Scalar(dtype, FloatFormat.Round(value, dtype), 0)
        : new Scalar(dtype, 0, ElementConversion.DoubleToInteger(value, dtype));

    /// <summary>An integer value wrapped to <paramref name="dtype"/>; for float dtypes it is rounded.</summary>
    public static Scalar FromInt64(DType dtype, long value) => dtype.IsFloat()
        ? new Scalar(dtype, ElementConversion.Int64ToFloat(value, dtype), 0)
        : new Scalar(dtype, 0, ElementConversion.WrapInteger(value, dtype));

    public static Scalar FromBool(bool value) => new(DType.Bool, 0, value ? 1 : 0);

    public double AsDouble() => DType.IsFloat() ? _float : _integer;

    public long AsInt64() => DType.IsFloat() ? ElementConversion.DoubleToInteger(_float, DType.I64) : _integer;

    public bool AsBool() => DType.IsFloat() ? _float != 0 : _integer != 0;

    /// <summary>The same number in another dtype, converted as <c>cast</c> converts.</summary>
    public Scalar CastTo(DType dtype) => DType.IsFloat() ? FromDouble(dtype, _float) : FromInt64(dtype, _integer);

    /// <summary>Text form used by the printer: <c>1.5</c>, <c>-3</c>, <c>true</c>, <c>nan</c>, <c>-inf</c>.</summary>
    public override string ToString()
    {
        if (DType.IsFloat())
        {
            return FloatFormat.Format(_float, DType);
        }
        if (DType.IsBool())
        {
            return _integer != 0 ? "true" : "false";
        }
        return _integer.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Bitwise equality: NaN equals NaN, 0.0 differs from -0.0 (what structural graph equality needs).</summary>
    public bool Equals(Scalar other) => DType == other.DType
        && BitConverter.DoubleToInt64Bits(_float) == BitConverter.DoubleToInt64Bits(other._float)
        && _integer == other._integer;

    public override bool Equals(object? obj) => obj is Scalar other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(DType, BitConverter.DoubleToInt64Bits(_float), _integer);

    public static bool operator ==(Scalar left, Scalar right) => left.Equals(right);

    public static bool operator !=(Scalar left, Scalar right) => !left.Equals(right);
}
