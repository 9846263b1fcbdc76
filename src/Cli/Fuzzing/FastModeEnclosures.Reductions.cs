using GraphDL.IR;

namespace GraphDL.Cli.Fuzzing;

// Reductions and matmul over enclosures. Each is computed with the op's own reference evaluation on derived tensors
// (range ends, midpoints, magnitudes, indicators), so axes, keepdims and batch broadcasting need no code of their own.
internal static partial class FastModeEnclosures
{
    /// <summary>max and min are exact in fast mode and monotone: the reduction of the lower ends and of the upper ends.</summary>
    private static Enclosure Extremum(Node node, Enclosure x) =>
        new(node.Type, Evaluate(node, [Tensor(x.Type, x.Lo)]).ToDoubleArray(), Evaluate(node, [Tensor(x.Type, x.Hi)]).ToDoubleArray());

    /// <summary>
    /// A sum lies within the sums of its terms' range ends, widened by the reassociation bound (see the class
    /// comment) over Σ max(|lo|, |hi|). A NaN term makes it NaN; an unconstrained or unbounded term, or partial sums
    /// that could overflow, make it unconstrained; exact infinite terms give that infinity (or NaN for both signs).
    /// </summary>
    private static Enclosure Sum(Node node, Enclosure x)
    {
        var dtype = node.Type.DType;
        long n = node.Type.ElementCount == 0 ? 0 : x.Count / node.Type.ElementCount;
        double coefficient = dtype == DType.F32 ? (n + 128) * Math.ScaleB(1, -24) : (2 * n + 128) * Math.ScaleB(1, -53);
        var (lo, hi, magnitude) = (new double[x.Count], new double[x.Count], new double[x.Count]);
        var (nan, loose, positive, negative) = (new double[x.Count], new double[x.Count], new double[x.Count], new double[x.Count]);
        for (long i = 0; i < x.Count; i++)
        {
            bool exact = x.IsExact(i);
            if (x.IsNaN(i))
            {
                nan[i] = 1;
            }
            else if (exact && double.IsInfinity(x.Lo[i]))
            {
                (x.Lo[i] > 0 ? positive : negative)[i] = 1;
            }
            else if (x.IsUnconstrained(i) || !double.IsFinite(x.Lo[i]) || !double.IsFinite(x.Hi[i]))
            {
                loose[i] = 1;
            }
            else
            {
                (lo[i], hi[i], magnitude[i]) = (x.Lo[i], x.Hi[i], Math.Max(Math.Abs(x.Lo[i]), Math.Abs(x.Hi[i])));
            }
        }
        double[] Total(double[] terms) => Evaluate(node, [Tensor(x.Type.WithDType(DType.F64), terms)], DType.F64).ToDoubleArray();
        var (sumLo, sumHi, sumMagnitude) = (Total(lo), Total(hi), Total(magnitude));
        var (nans, unbounded, positives, negatives) = (Total(nan), Total(loose), Total(positive), Total(negative));
        var result = new Enclosure(node.Type, new double[sumLo.Length], new double[sumLo.Length]);
        for (long o = 0; o < sumLo.LongLength; o++)
        {
            if (nans[o] > 0)
            {
                result.Set(o, (double.NaN, double.NaN));
            }
            else if (unbounded[o] > 0 || Overflows(dtype, sumMagnitude[o] * (1 + coefficient)))
            {
                result.SetUnconstrained(o);
            }
            else if (positives[o] > 0 || negatives[o] > 0)
            {
                double infinity = positives[o] > 0 && negatives[o] > 0 ? double.NaN : positives[o] > 0 ? double.PositiveInfinity : double.NegativeInfinity;
                result.Set(o, (infinity, infinity));
            }
            else
            {
                double bound = coefficient * sumMagnitude[o] + n * Spacing(dtype);
                result.Set(o, Enclosure.BothZeros((Enclosure.Down(dtype, sumLo[o] - bound), Enclosure.Up(dtype, sumHi[o] + bound))));
            }
        }
        return result;
    }

    /// <summary>
    /// A matmul in midpoint-radius form: with a = ca ± ra and b = cb ± rb elementwise, every product sum lies within
    /// ca·cb ± (|ca|·rb + ra·|cb| + ra·rb), widened by the GEMM's bound (f32) or by the rounding of this computation
    /// (f64) over max|a|·max|b|. Products with exact NaN or infinite factors are counted apart: a NaN makes the result
    /// NaN, infinite products of one sign make it that infinity and of both signs NaN; an infinity times a factor
    /// that may be 0, or an unconstrained or unbounded factor, make it unconstrained. An f64 matmul of exact operands
    /// is exact (fast mode computes it as the interpreter does).
    /// </summary>
    private static Enclosure MatrixProduct(Node node, Enclosure a, Enclosure b)
    {
        var dtype = node.Type.DType;
        int k = a.Type.Shape[a.Type.Rank - 1];
        double coefficient = dtype == DType.F32 ? (k + 2) * Math.ScaleB(1, -23) : (2 * k + 4) * Math.ScaleB(1, -53);
        var (p, q) = (Factors.Of(a), Factors.Of(b));
        double[] Product(HostTensor x, HostTensor y) => Evaluate(node, [x, y], DType.F64).ToDoubleArray();
        double[] Plus(params double[][] terms) => terms.Aggregate((x, y) => x.Zip(y, (u, v) => u + v).ToArray());
        var (center, magnitude) = (Product(p.Center, q.Center), Product(p.Magnitude, q.Magnitude));
        var radius = Plus(Product(p.AbsCenter, q.Radius), Product(p.Radius, q.AbsCenter), Product(p.Radius, q.Radius));
        var nans = Plus(Product(p.NaN, q.Ones), Product(p.Ones, q.NaN));
        var loose = Plus(Product(p.Loose, q.Ones), Product(p.Ones, q.Loose), Product(p.InfiniteAbs, q.MayBeZero), Product(p.MayBeZero, q.InfiniteAbs));
        var infinite = Plus(Product(p.InfiniteAbs, q.SignAbs), Product(p.SignAbs, q.InfiniteAbs), Product(p.InfiniteAbs, q.InfiniteAbs));
        var signed = Plus(Product(p.InfiniteSign, q.Sign), Product(p.Sign, q.InfiniteSign), Product(p.InfiniteSign, q.InfiniteSign));
        var inexact = Plus(Product(p.Inexact, q.Ones), Product(p.Ones, q.Inexact));
        var exact = dtype == DType.F64 ? Evaluate(node, [Tensor(a.Type, a.Lo), Tensor(b.Type, b.Lo)]).ToDoubleArray() : null;
        var result = new Enclosure(node.Type, new double[center.Length], new double[center.Length]);
        for (long o = 0; o < center.LongLength; o++)
        {
            if (exact is not null && inexact[o] == 0)
            {
                result.Set(o, (exact[o], exact[o]));
            }
            else if (nans[o] > 0)
            {
                result.Set(o, (double.NaN, double.NaN));
            }
            else if (loose[o] > 0 || Overflows(dtype, magnitude[o] * (1 + coefficient)))
            {
                result.SetUnconstrained(o);
            }
            else if (infinite[o] > 0)
            {
                // signed = (products at +Inf) − (products at −Inf), infinite = their total.
                double infinity = Math.Abs(signed[o]) < infinite[o] ? double.NaN : signed[o] > 0 ? double.PositiveInfinity : double.NegativeInfinity;
                result.Set(o, (infinity, infinity));
            }
            else
            {
                double bound = radius[o] + coefficient * magnitude[o] + k * Spacing(dtype);
                result.Set(o, Enclosure.BothZeros((Enclosure.Down(dtype, center[o] - bound), Enclosure.Up(dtype, center[o] + bound))));
            }
        }
        return result;
    }

    /// <summary>
    /// A matmul operand's elements as f64 tensors: for finite ones (exact or a finite range) midpoint, radius (rounded
    /// up so the range lies within), |midpoint|, max |value|, sign (+1 above 0, −1 below, 0 if it may be 0) and
    /// whether it may be 0; for exact ±Inf the sign of the infinity; indicators of exact NaN, of unconstrained or
    /// unbounded ranges, and of inexact elements; and ones.
    /// </summary>
    private sealed record Factors(HostTensor Center, HostTensor Radius, HostTensor AbsCenter, HostTensor Magnitude, HostTensor Sign, HostTensor SignAbs,
        HostTensor MayBeZero, HostTensor InfiniteSign, HostTensor InfiniteAbs, HostTensor NaN, HostTensor Loose, HostTensor Inexact, HostTensor Ones)
    {
        public static Factors Of(Enclosure e)
        {
            var columns = Enumerable.Range(0, 13).Select(_ => new double[e.Count]).ToArray();
            var (center, radius, absCenter, magnitude, sign, signAbs, mayBeZero, infiniteSign, infiniteAbs, nan, loose, inexact, ones) =
                (columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], columns[6], columns[7], columns[8], columns[9], columns[10], columns[11], columns[12]);
            for (long i = 0; i < e.Count; i++)
            {
                double lo = e.Lo[i], hi = e.Hi[i];
                bool exact = e.IsExact(i);
                (inexact[i], ones[i]) = (exact ? 0 : 1, 1);
                if (e.IsNaN(i))
                {
                    nan[i] = 1;
                }
                else if (exact && double.IsInfinity(lo))
                {
                    (infiniteSign[i], infiniteAbs[i]) = (Math.Sign(lo), 1);
                }
                else if (!double.IsFinite(lo) || !double.IsFinite(hi))
                {
                    loose[i] = 1;
                }
                else
                {
                    double c = exact ? lo : lo / 2 + hi / 2;
                    (center[i], absCenter[i], magnitude[i]) = (c, Math.Abs(c), Math.Max(Math.Abs(lo), Math.Abs(hi)));
                    radius[i] = exact ? 0 : Math.BitIncrement(Math.Max(hi - c, c - lo));
                    sign[i] = lo > 0 ? 1 : hi < 0 ? -1 : 0;
                    (signAbs[i], mayBeZero[i]) = (Math.Abs(sign[i]), sign[i] == 0 ? 1 : 0);
                }
            }
            var type = e.Type.WithDType(DType.F64);
            var t = columns.Select(c => Tensor(type, c)).ToArray();
            return new Factors(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12]);
        }
    }

    /// <summary>Whether a partial sum as large as <paramref name="bound"/> could overflow <paramref name="dtype"/>.</summary>
    private static bool Overflows(DType dtype, double bound) => !(bound < (dtype == DType.F32 ? float.MaxValue : double.MaxValue));

    /// <summary>The spacing of the subnormals of <paramref name="dtype"/>: the most an underflowing product or sum can lose.</summary>
    private static double Spacing(DType dtype) => dtype == DType.F32 ? float.Epsilon : double.Epsilon;
}
