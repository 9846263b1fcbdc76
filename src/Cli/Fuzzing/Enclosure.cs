using GraphDL.IR;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// For each element of one value, the set of results the fast-mode program may compute there, as
/// <see cref="FastModeEnclosures"/> derives it. Element i is one of:
/// <list type="bullet">
/// <item>exact: <c>Lo[i]</c> and <c>Hi[i]</c> have the same bits (fast mode must give exactly these bits), or are both
/// NaN (fast mode must give a NaN, of any sign and payload);</item>
/// <item>a range: <c>Lo[i] &lt; Hi[i]</c> in the total order in which −0 &lt; +0; any non-NaN value between them is
/// possible (the range of a result that may be zero holds both zeros);</item>
/// <item>unconstrained: <c>Lo[i]</c> NaN and <c>Hi[i]</c> not (any value, NaN included; a bool is [0, 1]).</item>
/// </list>
/// Values are doubles holding values of the dtype (bools 0 and 1, integers exactly up to 2^53).
/// </summary>
internal sealed class Enclosure
{
    public Enclosure(TensorType type, double[] lo, double[] hi)
    {
        Type = type;
        Lo = lo;
        Hi = hi;
    }

    public TensorType Type { get; }

    public double[] Lo { get; }

    public double[] Hi { get; }

    public long Count => Lo.LongLength;

    /// <summary>The enclosure of a value fast mode computes exactly as the interpreter does.</summary>
    public static Enclosure Exact(HostTensor value)
    {
        var values = value.ToDoubleArray();
        var enclosure = new Enclosure(value.Type, values, (double[])values.Clone());
        if (value.DType == DType.I64)
        {
            // Beyond 2^53 (9007199254740992) a double does not hold every integer: say nothing about those.
            for (long i = 0; i < values.LongLength; i++)
            {
                if (Math.Abs(values[i]) >= 9007199254740992.0)
                {
                    enclosure.SetUnconstrained(i);
                }
            }
        }
        return enclosure;
    }

    /// <summary>An enclosure of <paramref name="type"/> with every element unconstrained, to be narrowed element by element.</summary>
    public static Enclosure Unconstrained(TensorType type)
    {
        var enclosure = new Enclosure(type, new double[type.ElementCount], new double[type.ElementCount]);
        for (long i = 0; i < enclosure.Count; i++)
        {
            enclosure.SetUnconstrained(i);
        }
        return enclosure;
    }

    public bool IsExact(long i) => SameBits(Lo[i], Hi[i]);

    public bool IsUnconstrained(long i) => Type.DType == DType.Bool ? Lo[i] == 0 && Hi[i] == 1 : double.IsNaN(Lo[i]) && !double.IsNaN(Hi[i]);

    /// <summary>Element i is exactly NaN.</summary>
    public bool IsNaN(long i) => double.IsNaN(Lo[i]) && double.IsNaN(Hi[i]);

    public void SetUnconstrained(long i) => (Lo[i], Hi[i]) = Type.DType == DType.Bool ? (0, 1) : (double.NaN, double.PositiveInfinity);

    public void Set(long i, (double Lo, double Hi) range) => (Lo[i], Hi[i]) = range;

    /// <summary>Whether the compiled program's <paramref name="actual"/> value is among those allowed for element i.</summary>
    public bool Allows(long i, double actual)
    {
        if (IsUnconstrained(i))
        {
            return true;
        }
        if (IsNaN(i) || double.IsNaN(actual))
        {
            return IsNaN(i) && double.IsNaN(actual);
        }
        return IsExact(i) ? SameBits(actual, Lo[i]) : !Below(actual, Lo[i]) && !Below(Hi[i], actual);
    }

    /// <summary>Same bits, or both NaN (NaN sign and payload are not compared, see <see cref="BackendDiff"/>).</summary>
    public static bool SameBits(double a, double b) =>
        BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));

    /// <summary><paramref name="a"/> &lt; <paramref name="b"/> for non-NaN values, with −0 below +0.</summary>
    public static bool Below(double a, double b) => a < b || (a == 0 && b == 0 && double.IsNegative(a) && !double.IsNegative(b));

    /// <summary>The smaller of two non-NaN values in the order of <see cref="Below"/>.</summary>
    public static double Lower(double a, double b) => Below(b, a) ? b : a;

    /// <summary>The larger of two non-NaN values in the order of <see cref="Below"/>.</summary>
    public static double Upper(double a, double b) => Below(a, b) ? b : a;

    /// <summary>
    /// The enclosure of a set of possible results: exactly NaN if all are NaN, unconstrained if some are, else the
    /// smallest range holding them all.
    /// </summary>
    public static (double Lo, double Hi) Hull(ReadOnlySpan<double> results)
    {
        int nans = 0;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (double r in results)
        {
            if (double.IsNaN(r))
            {
                nans++;
                continue;
            }
            lo = Lower(lo, r);
            hi = Upper(hi, r);
        }
        return nans == results.Length ? (double.NaN, double.NaN) : nans > 0 ? (double.NaN, double.PositiveInfinity) : (lo, hi);
    }

    /// <summary>A range that may reach zero holds both zeros: the sign of a zero computed in another order is not fixed.</summary>
    public static (double Lo, double Hi) BothZeros((double Lo, double Hi) range) =>
        range.Lo <= 0 && range.Hi >= 0 ? (Lower(range.Lo, -0.0), Upper(range.Hi, 0.0)) : range;

    /// <summary><paramref name="value"/> rounded to <paramref name="dtype"/> as the interpreter rounds a result.</summary>
    public static double Round(DType dtype, double value) => dtype switch
    {
        DType.F32 => (float)value,
        DType.Bool => value != 0 || double.IsNaN(value) ? 1 : 0,
        _ => value,
    };

    /// <summary>The largest value of <paramref name="dtype"/> at or below <paramref name="value"/>, then <paramref name="steps"/> more below.</summary>
    public static double Down(DType dtype, double value, int steps = 0)
    {
        if (dtype == DType.F32)
        {
            float f = (float)value;
            if (f > value)
            {
                f = MathF.BitDecrement(f);
            }
            for (int s = 0; s < steps; s++)
            {
                f = MathF.BitDecrement(f);
            }
            return f;
        }
        for (int s = 0; s < steps; s++)
        {
            value = Math.BitDecrement(value);
        }
        return value;
    }

    /// <summary>The smallest value of <paramref name="dtype"/> at or above <paramref name="value"/>, then <paramref name="steps"/> more above.</summary>
    public static double Up(DType dtype, double value, int steps = 0) => -Down(dtype, -value, steps);
}
