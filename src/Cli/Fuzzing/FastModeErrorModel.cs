using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// The rounding errors by which the CPU backend's fast mode may differ from the interpreter, as documented where they
/// arise, injected into a run of the interpreter so that the graph itself shows how they propagate (grow through exp
/// and division, flip a comparison or a floor near a tie, cancel in a subtraction). <see cref="FastModeOracle"/>
/// bounds the fast-mode result by how far such runs stray.
/// <para>
/// Fast mode differs from exact mode in three places only (<see cref="GraphDL.Codegen.CSharp.KernelOptions"/>,
/// <see cref="CpuBackend"/>); each result there is moved by its worst-case difference B, up or down:
/// <list type="bullet">
/// <item>f32 exp, log, tanh, logistic, erf, expm1, log1p, sin, cos (VectorMath is within 2 ulp of the correctly rounded
/// value, the interpreter within 0.5 ulp): B = <see cref="TranscendentalUlps"/> ulp of the result;</item>
/// <item>reduce_sum (f32 and f64 rows are vectorized with 4 vector accumulators): the documented
/// (n/(4·lanes) + log2(lanes) + tail + 2)·u·Σ|x| for a row of n with unit roundoff u, taken as B = (n + 128)·u·Σ|x|,
/// which covers any width up to 16 lanes and a tail of up to 4·lanes;</item>
/// <item>f32 matmul (the packed GEMM, f32 accumulation in blocked order): the documented k·2⁻²³·Σ|a||b|, taken as
/// B = (k + 2)·2⁻²³·Σ|a||b|.</item>
/// </list>
/// Σ|x| and Σ|a||b| are the op's own reference evaluation on the operands' absolute values. Run 0 moves every such
/// result up by B, run 1 down, later runs by a uniform random amount in [−B, B] per element: where the graph is
/// monotonic in a single error source, runs 0 and 1 cover it in both directions by at least fast mode's worst case,
/// several sources add up in run 0 or 1 where their effects have the same sign; the random runs cover the rest, where
/// the graph is not monotonic in the error: cos of a huge argument, whose ulp steps are large angles (found by this
/// test: cos(x ± 25 ulp) stayed within 0.03 of cos x where cos(x + 1 ulp) did not), or a value reaching an output along
/// two paths that round separately. A NaN result
/// stays NaN (a NaN term, Inf − Inf or 0·Inf is there in any order); one whose B is infinite becomes NaN, so the oracle
/// accepts anything there: huge terms may overflow in f32 (a product, a partial sum) where the interpreter's double
/// sum does not, giving ±Inf or NaN for a finite result, or NaN for an infinite one.
/// </para>
/// </summary>
internal static class FastModeErrorModel
{
    /// <summary>B for a VectorMath result, in ulps of the result (fast and exact mode are up to 2.5 ulp apart).</summary>
    public const double TranscendentalUlps = 3;

    private static readonly HashSet<string> VectorMathOps = ["exp", "log", "tanh", "logistic", "erf", "expm1", "log1p", "sin", "cos"];

    /// <summary>
    /// The interpreter's outputs for <paramref name="graph"/> with the modelled errors injected: all up by B in
    /// <paramref name="run"/> 0, all down in run 1, by a uniform random fraction of ±B (seeded by the run) in later runs.
    /// </summary>
    public static IReadOnlyList<HostTensor> Run(Graph graph, IReadOnlyList<HostTensor> inputs, int run)
    {
        var random = new Random(run);
        Func<double> sign = run switch
        {
            0 => () => 1,
            1 => () => -1,
            _ => () => 2 * random.NextDouble() - 1,
        };
        return ReferenceInterpreter.Run(graph, inputs, (node, operands, result) => Perturb(node, operands, result, sign));
    }

    /// <summary>
    /// The interpreter's outputs for <paramref name="graph"/> with every result that fast mode computes differently
    /// replaced by NaN: an output element that is NaN here while the interpreter's is not depends on one of them.
    /// </summary>
    public static IReadOnlyList<HostTensor> Taint(Graph graph, IReadOnlyList<HostTensor> inputs) =>
        ReferenceInterpreter.Run(graph, inputs, (node, _, result) =>
            IsTranscendental(node) || IsSum(node) || IsGemm(node) ? Map(result, (_, _) => double.NaN) : result);

    private static bool IsTranscendental(Node node) => node.Type.DType == DType.F32 && VectorMathOps.Contains(node.Op.Name);

    private static bool IsSum(Node node) => node.Op.Name == "reduce_sum" && node.Type.DType is DType.F32 or DType.F64;

    private static bool IsGemm(Node node) => node.Op.Name == "matmul" && node.Type.DType == DType.F32;

    private static HostTensor Perturb(Node node, IReadOnlyList<HostTensor> operands, HostTensor result, Func<double> sign)
    {
        if (IsTranscendental(node))
        {
            return Map(result, (_, v) => v + sign() * TranscendentalUlps * FloatUlp(v));
        }
        bool sum = IsSum(node);
        if ((!sum && !IsGemm(node)) || result.ElementCount == 0)
        {
            return result;
        }
        // Σ|x| (or Σ|a||b|) per result element: the op itself on absolute values.
        var absolute = operands.Select(o => HostTensor.FromDoubles(o.DType, o.Shape, o.ToDoubleArray().Select(Math.Abs).ToArray())).ToArray();
        var magnitude = node.Op.Evaluate(new EvalContext(node.Op, absolute, node.Attributes, node.Type, node.Loc));
        double coefficient = sum
            ? (operands[0].ElementCount / result.ElementCount + 128) * (result.DType == DType.F32 ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53))
            : (operands[0].Shape[^1] + 2) * Math.ScaleB(1, -23);
        return Map(result, (i, v) =>
        {
            double bound = coefficient * magnitude.GetDouble(i);
            return double.IsNaN(v) || double.IsFinite(bound) ? v + sign() * bound : double.NaN;
        });
    }

    /// <summary>The spacing of floats at <paramref name="v"/> (the larger one at a power of 2; subnormal spacing near 0).</summary>
    private static double FloatUlp(double v)
    {
        float f = MathF.Abs((float)v);
        if (!float.IsFinite(f))
        {
            return 0;
        }
        return f == float.MaxValue ? (double)f - MathF.BitDecrement(f) : (double)MathF.BitIncrement(f) - f;
    }

    private static HostTensor Map(HostTensor tensor, Func<long, double, double> map)
    {
        var values = tensor.ToDoubleArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = map(i, values[i]);
        }
        return HostTensor.FromDoubles(tensor.DType, tensor.Shape, values);
    }
}
