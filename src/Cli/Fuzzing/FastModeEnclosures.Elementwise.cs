using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Cli.Fuzzing;

// Elementwise ops over enclosures: each op evaluated at its operands' range ends and at the points where it turns.
internal static partial class FastModeEnclosures
{
    private const double TwoPi = 2 * Math.PI;

    private static Enclosure Unary(Node node, UnaryElementwiseOp op, Enclosure x)
    {
        var dtype = node.Type.DType;
        bool vectorMath = dtype == DType.F32 && VectorMathOps.Contains(op.Name);
        bool libm = LibmOps.Contains(op.Name);
        bool periodic = op is Sin or Cos;
        double Apply(double v) => dtype == DType.Bool ? (op.ApplyBool(v != 0) ? 1 : 0) : Enclosure.Round(dtype, op.ApplyFloat(v));
        var result = new Enclosure(node.Type, new double[x.Count], new double[x.Count]);
        Span<double> points = stackalloc double[4];
        Span<double> results = stackalloc double[6];
        for (long i = 0; i < x.Count; i++)
        {
            if (x.IsUnconstrained(i))
            {
                result.SetUnconstrained(i);
                continue;
            }
            bool exact = x.IsExact(i);
            int n = Points(x, i, points);
            for (int p = 0; p < n; p++)
            {
                results[p] = Apply(points[p]);
            }
            if (periodic && !exact)
            {
                // sin peaks at π/2 + 2πk and dips at −π/2 + 2πk; cos a quarter turn earlier.
                double phase = op is Sin ? Math.PI / 2 : 0;
                results[n++] = Reaches(x.Lo[i], x.Hi[i], phase) ? 1 : results[0];
                results[n++] = Reaches(x.Lo[i], x.Hi[i], phase + Math.PI) ? -1 : results[0];
            }
            var range = Enclosure.Hull(results[..n]);
            int ulps = vectorMath ? TranscendentalUlps : libm && !exact ? 1 : 0;
            result.Set(i, double.IsNaN(range.Lo) || ulps == 0 ? range : (Enclosure.Down(dtype, range.Lo, ulps), Enclosure.Up(dtype, range.Hi, ulps)));
        }
        return result;
    }

    /// <summary>Whether [lo, hi] holds a point phase + 2πk (or comes within rounding of one: an extreme too many is harmless).</summary>
    private static bool Reaches(double lo, double hi, double phase)
    {
        if (hi - lo >= TwoPi || !double.IsFinite(lo) || !double.IsFinite(hi))
        {
            return true;
        }
        double margin = 1e-9 * (1 + Math.Abs(lo) + Math.Abs(hi));
        double k = Math.Ceiling((lo - margin - phase) / TwoPi);
        return phase + k * TwoPi <= hi + margin;
    }

    /// <summary>
    /// To a float type, rounding is monotone and keeps NaN, infinities and the sign of zero (a bool is 0 or 1). To
    /// bool (x ≠ 0, NaN is true), a range is decided unless it holds 0.
    /// </summary>
    private static Enclosure CastBetweenFloatAndBool(Node node, Enclosure x)
    {
        var dtype = node.Type.DType;
        bool fromBool = x.Type.DType == DType.Bool;
        var result = new Enclosure(node.Type, new double[x.Count], new double[x.Count]);
        for (long i = 0; i < x.Count; i++)
        {
            if (x.IsUnconstrained(i) && !fromBool || dtype == DType.Bool && !x.IsExact(i) && x.Lo[i] <= 0 && x.Hi[i] >= 0)
            {
                result.SetUnconstrained(i);
                continue;
            }
            double lo = Enclosure.Round(dtype, x.Lo[i]), hi = Enclosure.Round(dtype, x.Hi[i]);
            result.Set(i, dtype == DType.Bool ? (Math.Min(lo, hi), Math.Max(lo, hi)) : (lo, hi));
        }
        return result;
    }

    private static Enclosure Binary(Node node, BinaryElementwiseOp op, Enclosure a, Enclosure b)
    {
        var dtype = node.Type.DType;
        bool boolOperands = a.Type.DType == DType.Bool;
        bool comparison = op is ComparisonOp;
        double Apply(double x, double y) =>
            comparison ? ((boolOperands ? op.CompareInteger((long)x, (long)y) : op.CompareFloat(x, y)) ? 1 : 0)
            : boolOperands ? (op.ApplyBool(x != 0, y != 0) ? 1 : 0)
            : Enclosure.Round(dtype, op.ApplyFloat(x, y));
        var result = new Enclosure(node.Type, new double[a.Count], new double[a.Count]);
        Span<double> pa = stackalloc double[6], pb = stackalloc double[4];
        Span<double> results = stackalloc double[24];
        for (long i = 0; i < a.Count; i++)
        {
            if (a.IsUnconstrained(i) || b.IsUnconstrained(i))
            {
                result.SetUnconstrained(i);
                continue;
            }
            bool exact = a.IsExact(i) && b.IsExact(i);
            if (!exact && op is Eq or Ne)
            {
                // Not monotone: "equal" is possible wherever the ranges meet (NaN meets nothing).
                bool meet = a.Hi[i] >= b.Lo[i] && b.Hi[i] >= a.Lo[i];
                double value = Apply(a.Lo[i], b.Lo[i]);
                result.Set(i, meet ? (0, 1) : (value, value));
                continue;
            }
            int na = Points(a, i, pa), nb = Points(b, i, pb);
            if (!exact && op is Pow)
            {
                if (!PowIsPiecewiseMonotone(a, b, i, pa, ref na))
                {
                    result.SetUnconstrained(i);
                    continue;
                }
            }
            int n = 0;
            for (int p = 0; p < na; p++)
            {
                for (int q = 0; q < nb; q++)
                {
                    results[n++] = Apply(pa[p], pb[q]);
                }
            }
            var range = Enclosure.Hull(results[..n]);
            bool widen = !exact && LibmOps.Contains(op.Name) && !double.IsNaN(range.Lo);
            result.Set(i, widen ? (Enclosure.Down(dtype, range.Lo, 1), Enclosure.Up(dtype, range.Hi, 1)) : range);
        }
        return result;
    }

    /// <summary>
    /// pow(x, y) over a range is bounded by its values at the corners when x &gt; 0 (then it is exp(y·log x), monotone
    /// in each argument). For a fixed y it is monotone in x between −1, 0 and 1 (those points are added to x's);
    /// for x ≤ 0 and a range of y (where it jumps between NaN, ±0 and ±Inf at the integers) nothing is claimed.
    /// </summary>
    private static bool PowIsPiecewiseMonotone(Enclosure x, Enclosure y, long i, Span<double> points, ref int count)
    {
        if (y.IsExact(i))
        {
            foreach (double turn in (ReadOnlySpan<double>)[-1.0, 1.0])
            {
                if (x.Lo[i] < turn && turn < x.Hi[i])
                {
                    points[count++] = turn;
                }
            }
            return true;
        }
        return x.Lo[i] > 0 || x.IsNaN(i);
    }

    /// <summary>cond ? a : b, where an undecided condition allows both branches.</summary>
    private static Enclosure Select(Node node, Enclosure condition, Enclosure a, Enclosure b)
    {
        var result = new Enclosure(node.Type, new double[a.Count], new double[a.Count]);
        Span<double> ends = stackalloc double[4];
        for (long i = 0; i < a.Count; i++)
        {
            if (condition.IsExact(i))
            {
                var chosen = condition.Lo[i] != 0 ? a : b;
                result.Set(i, (chosen.Lo[i], chosen.Hi[i]));
                continue;
            }
            if (a.IsUnconstrained(i) || b.IsUnconstrained(i))
            {
                result.SetUnconstrained(i);
                continue;
            }
            (ends[0], ends[1], ends[2], ends[3]) = (a.Lo[i], a.Hi[i], b.Lo[i], b.Hi[i]);
            result.Set(i, Enclosure.Hull(ends));
        }
        return result;
    }

    /// <summary>
    /// Where to evaluate an elementwise op over element i's range: its ends, and ±0 when the range holds zero (where ×,
    /// ÷, abs, sign, 1/x and pow turn or jump); an exact element is its one value.
    /// </summary>
    private static int Points(Enclosure e, long i, Span<double> points)
    {
        double lo = e.Lo[i], hi = e.Hi[i];
        points[0] = lo;
        if (e.IsExact(i))
        {
            return 1;
        }
        points[1] = hi;
        if (e.Type.DType != DType.Bool && lo <= 0 && hi >= 0)
        {
            (points[2], points[3]) = (-0.0, 0.0);
            return 4;
        }
        return 2;
    }
}
