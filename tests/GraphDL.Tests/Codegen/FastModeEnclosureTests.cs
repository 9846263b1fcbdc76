using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes.Autodiff;
using GraphDL.Runtime;
using Xunit.Abstractions;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// The fast-mode tolerance model (<see cref="FastModeEnclosures"/>) on its own, without compiling anything: it must be
/// sound (every result fast mode may compute is allowed, shown by injecting its documented worst-case errors into the
/// interpreter) and still sharp (a wrong value is rejected), and its rules for ill-conditioned ops must hold.
/// </summary>
public class FastModeEnclosureTests(ITestOutputHelper output)
{
    private const int Graphs = 300;

    /// <summary>
    /// Sound: the interpreter with fast mode's errors injected where they arise — each f32 VectorMath result moved by up
    /// to <see cref="FastModeEnclosures.TranscendentalUlps"/> floats, each sum and f32 matmul by up to its documented
    /// bound — all up, all down, and at random, gives outputs the enclosures allow, over random graphs forward and
    /// backward. The runs propagate the errors through the graph as compiled code would, ulp steps of cos of huge
    /// arguments, cancellations and comparisons near their thresholds included.
    /// </summary>
    [Fact]
    public void EnclosuresAllowEveryErrorFastModeMayMake()
    {
        long elements = 0, checkedRuns = 0;
        foreach (var (graph, inputs) in RandomCases())
        {
            var enclosures = FastModeEnclosures.Of(graph, inputs);
            for (int run = 0; run < 4; run++)
            {
                var perturbed = InjectedErrors.Run(graph, inputs, run);
                checkedRuns++;
                for (int o = 0; o < perturbed.Count; o++)
                {
                    for (long i = 0; i < perturbed[o].ElementCount; i++, elements++)
                    {
                        if (!enclosures[o].Allows(i, perturbed[o].GetDouble(i)))
                        {
                            Assert.Fail($"run {run}, output {graph.OutputName(o)} [{string.Join(",", perturbed[o].Shape.Unravel(i))}]: "
                                + $"{BackendDiff.Describe(perturbed[o], i)} is outside [{enclosures[o].Lo[i]:R}, {enclosures[o].Hi[i]:R}] of\n{graph}");
                        }
                    }
                }
            }
        }
        output.WriteLine($"{checkedRuns} perturbed runs, {elements} elements, all within their enclosures");
    }

    /// <summary>
    /// Sharp: the interpreter's own outputs are allowed, and the same outputs with one element moved by 0.1% of the
    /// output's scale (a lost epilogue term, an off-by-one read) are rejected in nearly every output whose element is
    /// constrained at all; elements fast mode computes exactly must match bit for bit.
    /// </summary>
    [Fact]
    public void EnclosuresRejectWrongValues()
    {
        int outputs = 0, caught = 0, exactOnly = 0;
        var stats = new DiffStats();
        foreach (var (graph, inputs) in RandomCases())
        {
            var oracle = new DiffOracle(graph, inputs);
            for (int o = 0; o < graph.Outputs.Count; o++)
            {
                var expected = oracle.Expected[o];
                Assert.Null(oracle.Judge(false, o, expected, stats));
                var enclosure = oracle.Fast[o];
                var candidates = Enumerable.Range(0, (int)expected.ElementCount)
                    .Where(i => expected.DType.IsFloat() && double.IsFinite(expected.GetDouble(i)) && !enclosure.IsUnconstrained(i)).ToArray();
                if (candidates.Length == 0)
                {
                    continue;
                }
                int element = candidates[(int)((uint)graph.Nodes.Count * 7919u % (uint)candidates.Length)];
                double scale = Enumerable.Range(0, (int)expected.ElementCount).Select(i => expected.GetDouble(i)).Where(double.IsFinite).Max(Math.Abs);
                var values = expected.ToDoubleArray();
                values[element] += 1e-3 * Math.Max(scale, 1e-3);
                var wrong = HostTensor.FromDoubles(expected.DType, expected.Shape, values);
                outputs++;
                exactOnly += enclosure.IsExact(element) ? 1 : 0;
                if (oracle.Judge(false, o, wrong, null) is not null)
                {
                    caught++;
                }
            }
        }
        output.WriteLine($"{caught} of {outputs} wrong outputs rejected ({exactOnly} at an exact element); {stats}");
        Assert.True(caught >= 0.95 * outputs, $"only {caught} of {outputs} wrong outputs rejected");
    }

    [Fact]
    public void ElementsNoFastModeDifferenceReachesAreExact()
    {
        var graph = GirParser.Parse("""
            graph @g(%x: f32[64] input, %y: f32[64] input) -> (f32[64], f32[64]) {
              %0 = mul(%x, %y) : f32[64]
              %1 = add(%0, 1.5) : f32[64]
              %2 = exp(%x) : f32[64]
              return %1, %2
            }
            """);
        var enclosures = FastModeEnclosures.Of(graph, BackendDiff.Inputs(graph, 3));
        Assert.All(Enumerable.Range(0, 64), i => Assert.True(enclosures[0].IsExact(i)));
        Assert.Contains(Enumerable.Range(0, 64), i => !enclosures[1].IsExact(i));
    }

    /// <summary>
    /// Ill-conditioned ops get wide or unconstrained enclosures instead of a tolerance: cos of a huge argument spans
    /// [−1, 1], a division by a cancelled difference may give any number (not NaN), and a comparison of two values
    /// whose ranges overlap may give either answer.
    /// </summary>
    [Fact]
    public void IllConditionedOpsAreAccountedFor()
    {
        var graph = GirParser.Parse("""
            graph @g(%x: f32[] input) -> (f32[], f32[], bool[]) {
              %0 = log1p(%x) : f32[]
              %1 = mul(%0, 1e+30) : f32[]
              %2 = cos(%1) : f32[]
              %3 = sub(%0, %0) : f32[]
              %4 = div(1.0, %3) : f32[]
              %5 = lt(%0, %0) : bool[]
              return %2, %4, %5
            }
            """);
        var inputs = new[] { HostTensor.FromArray([0.75f]) };
        var enclosures = FastModeEnclosures.Of(graph, inputs);
        Assert.True(enclosures[0].Allows(0, -1) && enclosures[0].Allows(0, 1), $"cos: [{enclosures[0].Lo[0]}, {enclosures[0].Hi[0]}]");
        Assert.True(enclosures[1].Allows(0, double.NegativeInfinity) && enclosures[1].Allows(0, 1e30) && !enclosures[1].Allows(0, double.NaN));
        Assert.True(enclosures[2].Allows(0, 0) && enclosures[2].Allows(0, 1));
    }

    /// <summary>
    /// A graph already fused (as <c>graphdl compile --emit fused</c> prints it) is judged by its kernels' bodies.
    /// (Forward graphs only: the fuse pass cannot outline some VJP graphs yet, whose kernels share recomputed members.)
    /// </summary>
    [Fact]
    public void AFusedGraphHasTheEnclosuresOfItsFlatForm()
    {
        foreach (var (graph, inputs) in RandomCases().Where((_, i) => i % 2 == 0).Take(40))
        {
            var flat = FastModeEnclosures.Of(graph, inputs);
            var fused = FastModeEnclosures.Of(CpuBackend.Instance.FusePass.Run(graph), inputs);
            for (int o = 0; o < flat.Count; o++)
            {
                Assert.Equal(flat[o].Lo, fused[o].Lo);
                Assert.Equal(flat[o].Hi, fused[o].Hi);
            }
        }
    }

    /// <summary>Random graphs of two fixed seeds (forward, and its VJP), with the fuzzer's inputs.</summary>
    private static IEnumerable<(Graph Graph, IReadOnlyList<HostTensor> Inputs)> RandomCases()
    {
        for (int i = 0; i < Graphs; i++)
        {
            var recipe = Fuzzer.Recipe(100 + i % 2, i);
            var forward = RandomGraphs.Build(recipe);
            yield return (forward, BackendDiff.Inputs(forward, recipe.InputSeed));
            var vjp = GradientTransforms.Vjp(forward, forward.Inputs.Select(x => x.Name).ToArray());
            yield return (vjp, BackendDiff.Inputs(vjp, recipe.InputSeed));
        }
    }
}

/// <summary>
/// Runs the interpreter with fast mode's documented worst-case errors injected where they arise (the bounds
/// <see cref="FastModeEnclosures"/> states): run 0 moves every such result up by its bound, run 1 down, later runs by
/// a seeded random fraction of it per element.
/// </summary>
internal static class InjectedErrors
{
    private static readonly HashSet<string> VectorMathOps = ["exp", "log", "tanh", "logistic", "erf", "expm1", "log1p", "sin", "cos"];

    public static IReadOnlyList<HostTensor> Run(Graph graph, IReadOnlyList<HostTensor> inputs, int run)
    {
        var random = new Random(run);
        Func<double> fraction = run switch
        {
            0 => () => 1,
            1 => () => -1,
            _ => () => 2 * random.NextDouble() - 1,
        };
        return ReferenceInterpreter.Run(graph, inputs, (node, operands, result) => Inject(node, operands, result, fraction));
    }

    private static HostTensor Inject(Node node, IReadOnlyList<HostTensor> operands, HostTensor result, Func<double> fraction)
    {
        var dtype = node.Type.DType;
        if (dtype == DType.F32 && VectorMathOps.Contains(node.Op.Name))
        {
            return Map(result, (_, v) =>
            {
                int steps = (int)Math.Round(fraction() * FastModeEnclosures.TranscendentalUlps);
                float f = (float)v;
                for (int s = 0; s < Math.Abs(steps); s++)
                {
                    f = steps > 0 ? MathF.BitIncrement(f) : MathF.BitDecrement(f);
                }
                return double.IsNaN(v) ? v : f;
            });
        }
        bool sum = node.Op.Name == "reduce_sum" && dtype is DType.F32 or DType.F64;
        bool gemm = node.Op.Name == "matmul" && dtype == DType.F32;
        if (!sum && !gemm || result.ElementCount == 0)
        {
            return result;
        }
        // The bound over Σ|x| (or Σ|a||b|): the op itself on absolute values, in f64.
        var absolute = operands.Select(o => HostTensor.FromDoubles(DType.F64, o.Shape, o.ToDoubleArray().Select(Math.Abs).ToArray())).ToArray();
        var magnitude = node.Op.Evaluate(new EvalContext(node.Op, absolute, node.Attributes, node.Type.WithDType(DType.F64), node.Loc));
        long n = sum ? operands[0].ElementCount / result.ElementCount : operands[0].Shape[^1];
        double u = dtype == DType.F32 ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53);
        double coefficient = gemm ? (n + 2) * 2 * u : dtype == DType.F32 ? (n + 128) * u : (2 * n + 128) * u;
        return Map(result, (i, v) =>
        {
            // Just inside the bound, so rounding to the dtype cannot step past it.
            double bound = 0.999 * coefficient * magnitude.GetDouble(i);
            return double.IsFinite(v) && double.IsFinite(bound) ? v + fraction() * bound : v;
        });
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
