using System.Globalization;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// Judges the default (fast-mode) CPU backend, fused and unfused, against the interpreter, with a tolerance per
/// element derived from the graph itself: the interpreter also runs <see cref="Runs"/> times with fast mode's
/// documented worst-case rounding errors injected (<see cref="FastModeErrorModel"/>: all up, all down, then by
/// random fractions), and how far those runs stray says how much error the graph lets through to that element — nothing
/// where no VectorMath function, sum or matmul is upstream, a lot after a division by a cancelled difference.
/// <para>For each element, with e the interpreter's value, pₖ the perturbed runs' and a the compiled program's:</para>
/// <list type="bullet">
/// <item>unstable — some pₖ is of another class than e (NaN, +Inf, −Inf, finite; for bool and integer outputs: another
/// value): the modelled error can flip it (a comparison, floor or overflow near its threshold), so any a is accepted;</item>
/// <item>e NaN or infinite: a must be of the same class (NaN sign and payload aside, see <see cref="BackendDiff"/>);</item>
/// <item>e finite: |a − e| ≤ <see cref="Slack"/>·maxₖ|pₖ − e| + floor, where the floor is
/// <see cref="FloorUlps"/>·u·(|e| + max|e| over the output) (u the unit roundoff of the output's type) for an element
/// that depends on a result fast mode computes differently (<see cref="FastModeErrorModel.Taint"/>) and 0 for the
/// others, which must be exactly e (up to the sign of zero);</item>
/// <item>bool and integer: a = e.</item>
/// </list>
/// Where one error source dominates and the graph is monotonic in it, the runs that move it up and down by its worst
/// case already bound the fast result (Slack 1 would do); <see cref="Slack"/> = 2 covers sources whose effects partly
/// cancel in every run and second-order effects. The floor covers what the runs can miss at the last bit: a value that
/// reaches an output along two paths of opposite direction that round separately (x·(1 − x)) is not monotonic at the
/// ulp level, so fast mode's 1-ulp difference can survive where every perturbed run rounds back to e (found by this
/// test). A wrong kernel (a swapped operand, an off-by-one index, a lost epilogue) is off by the size of
/// the values, far outside. Inputs keep the NaN/±Inf/±0/subnormal/huge values sprinkled in: VectorMath follows the
/// reference on special values, and where huge values make an f32 sum's bound infinite the element is unstable.
/// </summary>
internal sealed class FastModeOracle : DiffOracle
{
    /// <summary>Perturbed runs of the interpreter per graph: all up, all down, three at random.</summary>
    public const int Runs = 5;

    /// <summary>The allowed error as a multiple of the largest deviation of a perturbed run.</summary>
    public const double Slack = 2;

    /// <summary>The floor of the allowed error, in units of roundoff of |e| + the output's largest |e|.</summary>
    public const double FloorUlps = 4;

    public override string Name => "fast";

    public override IBackend[] Backends() => [new CpuBackend(fuse: true), new CpuBackend(fuse: false)];

    public override Func<int, HostTensor, string?> Expect(Graph graph, IReadOnlyList<HostTensor> inputs, CompileStats? stats)
    {
        var expected = ReferenceInterpreter.Run(graph, inputs);
        var perturbed = Enumerable.Range(0, Runs).Select(run => FastModeErrorModel.Run(graph, inputs, run)).ToArray();
        var tainted = FastModeErrorModel.Taint(graph, inputs);
        return (o, actual) => Difference(actual, expected[o], perturbed.Select(run => run[o]).ToArray(), tainted[o], stats);
    }

    private static string? Difference(HostTensor actual, HostTensor expected, HostTensor[] perturbed, HostTensor tainted, CompileStats? stats)
    {
        bool isFloat = expected.DType.IsFloat();
        double scale = 0;
        for (long i = 0; isFloat && i < expected.ElementCount; i++)
        {
            scale = double.IsFinite(expected.GetDouble(i)) ? Math.Max(scale, Math.Abs(expected.GetDouble(i))) : scale;
        }
        double roundoff = expected.DType == DType.F64 ? Math.ScaleB(1, -53) : Math.ScaleB(1, -24);
        for (long i = 0; i < expected.ElementCount; i++)
        {
            if (stats is not null)
            {
                stats.Elements++;
            }
            if (!isFloat)
            {
                var value = expected.GetScalar(i);
                if (perturbed.Any(run => !run.GetScalar(i).Equals(value)))
                {
                    CountUnstable(stats);
                }
                else if (!actual.GetScalar(i).Equals(value))
                {
                    return $"element [{Index(expected, i)}] is {actual.GetScalar(i)}, the interpreter gives {value} (also with fast mode's worst-case rounding errors injected)";
                }
                continue;
            }
            double e = expected.GetDouble(i), a = actual.GetDouble(i), spread = 0;
            bool unstable = false;
            foreach (var run in perturbed)
            {
                double p = run.GetDouble(i);
                unstable |= Class(p) != Class(e);
                spread = Math.Max(spread, Math.Abs(p - e));
            }
            if (unstable)
            {
                CountUnstable(stats);
                continue;
            }
            if (!double.IsFinite(e))
            {
                if (Class(a) != Class(e))
                {
                    return $"element [{Index(expected, i)}] is {BackendDiff.Describe(actual, i)}, the interpreter gives {BackendDiff.Describe(expected, i)}";
                }
                continue;
            }
            double floor = double.IsNaN(tainted.GetDouble(i)) ? FloorUlps * roundoff * (Math.Abs(e) + scale) : 0;
            double tolerance = Slack * spread + floor;
            if (stats is not null && tolerance > 0)
            {
                stats.ToleratedElements++;
            }
            if (!(Math.Abs(a - e) <= tolerance))
            {
                return $"element [{Index(expected, i)}] is {BackendDiff.Describe(actual, i)}, the interpreter gives {BackendDiff.Describe(expected, i)}; "
                    + $"|difference| {Math.Abs(a - e).ToString("G3", CultureInfo.InvariantCulture)} > tolerance {tolerance.ToString("G3", CultureInfo.InvariantCulture)} "
                    + $"({Slack} × the largest deviation of {Runs} runs with fast mode's worst-case rounding errors injected, "
                    + $"{Math.Abs(spread).ToString("G3", CultureInfo.InvariantCulture)}, + floor {floor.ToString("G3", CultureInfo.InvariantCulture)})";
            }
        }
        return null;
    }

    private static void CountUnstable(CompileStats? stats)
    {
        if (stats is not null)
        {
            stats.UnstableElements++;
        }
    }

    private static string Index(HostTensor tensor, long i) => string.Join(",", tensor.Shape.Unravel(i));

    /// <summary>0 finite, 1 NaN, 2 +Inf, 3 −Inf.</summary>
    private static int Class(double v) => double.IsNaN(v) ? 1 : double.IsPositiveInfinity(v) ? 2 : double.IsNegativeInfinity(v) ? 3 : 0;
}
