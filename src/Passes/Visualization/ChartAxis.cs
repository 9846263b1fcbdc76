namespace GraphDL.Passes.Visualization;

/// <summary>What an axis of an <see cref="SvgChart"/> counts, which decides its tick values and their labels.</summary>
public enum AxisUnit
{
    /// <summary>Plain numbers; ticks at 1, 2 and 5 times a power of ten.</summary>
    Number,
    /// <summary>Whole numbers (schedule steps): ticks never fall between two.</summary>
    Count,
    /// <summary>Bytes, labelled in binary units; ticks at round values of the unit (<c>4 MiB</c>, not <c>4.19 MB</c>).</summary>
    Bytes,
    /// <summary>Seconds, labelled in s, ms or us.</summary>
    Seconds,
}

/// <summary>
/// One axis of a chart: where a value falls along it (linear, or logarithmic for values spanning decades) and
/// round tick values with their labels.
/// </summary>
internal sealed class ChartAxis
{
    public ChartAxis(double min, double max, AxisUnit unit, bool log = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
        {
            throw new ArgumentException($"an axis needs a finite range, got [{min}, {max}]");
        }
        if (log && min <= 0)
        {
            throw new ArgumentException($"a logarithmic axis needs positive values, got a minimum of {min}");
        }
        if (max <= min)
        {
            (min, max) = log ? (min / 2, min * 2) : (min - 0.5, min + 0.5);
        }
        (Min, Max, Unit, Log) = (min, max, unit, log);
    }

    public double Min { get; }

    public double Max { get; }

    public AxisUnit Unit { get; }

    public bool Log { get; }

    /// <summary>Where <paramref name="value"/> falls between <see cref="Min"/> (0) and <see cref="Max"/> (1); outside for values outside.</summary>
    public double Fraction(double value) => Log
        ? (Math.Log(Math.Max(value, double.Epsilon)) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min))
        : (value - Min) / (Max - Min);

    public string Label(double value) => Unit switch
    {
        AxisUnit.Bytes => HumanUnits.Bytes(value),
        AxisUnit.Seconds => HumanUnits.Seconds(value),
        _ => HumanUnits.Significant(value),
    };

    /// <summary>About <paramref name="target"/> round values inside the range, ascending.</summary>
    public IReadOnlyList<double> Ticks(int target = 6)
    {
        double scale = Scale();
        if (Log)
        {
            var decades = Enumerable.Range((int)Math.Floor(Math.Log10(Min / scale)) - 1, (int)Math.Ceiling(Math.Log10(Max / Min)) + 3)
                .Select(e => Math.Pow(10, e) * scale).ToArray();
            var ticks = decades.SelectMany(d => new[] { d, 2 * d, 5 * d }).Where(Inside).ToArray();
            if (ticks.Length > target * 3 / 2)
            {
                ticks = decades.Where(Inside).ToArray();
            }
            if (ticks.Length >= 2)
            {
                return ticks;
            }
        }
        double step = NiceStep((Max - Min) / scale / Math.Max(1, target)) * scale;
        if (Unit == AxisUnit.Count)
        {
            step = Math.Max(1, Math.Round(step));
        }
        var linear = new List<double>();
        for (long i = (long)Math.Ceiling(Min / step - 1e-9); i * step <= Max + step * 1e-9; i++)
        {
            linear.Add(i * step);
        }
        return Log ? linear.Where(t => t > 0).ToArray() : linear;
    }

    private bool Inside(double value) => value >= Min * (1 - 1e-9) && value <= Max * (1 + 1e-9);

    /// <summary>The unit ticks are round in: a power of 1024 for bytes, of 1000 for seconds, else 1.</summary>
    private double Scale()
    {
        double largest = Math.Max(Math.Abs(Min), Math.Abs(Max));
        return Unit switch
        {
            AxisUnit.Bytes => Math.Pow(1024, HumanUnits.ByteUnit(largest)),
            AxisUnit.Seconds => largest >= 1 ? 1 : largest >= 1e-3 ? 1e-3 : largest >= 1e-6 ? 1e-6 : 1e-9,
            _ => 1,
        };
    }

    /// <summary>The smallest of 1, 2, 5 times a power of ten that is at least <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        if (rough <= 0 || !double.IsFinite(rough))
        {
            return 1;
        }
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }
}
