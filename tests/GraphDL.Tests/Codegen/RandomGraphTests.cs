using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.Passes.Autodiff;
using Xunit.Abstractions;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Random-graph differential testing of the compiled CPU backend: CsCheck generates well-typed graphs of 1 to about
/// 20 nodes (<see cref="RandomGraphs"/>), and each graph — and its vector-Jacobian product (the forward outputs plus the
/// gradient of every input for random cotangents, so backward graphs are checked too) — runs compiled fused, compiled
/// unfused and on the reference interpreter, on inputs with NaN/±Inf/±0/subnormals sprinkled in; every output must be
/// bit-identical, NaN sign and payload aside (<see cref="BackendDiff"/> says why).
/// <para>
/// On a failure CsCheck shrinks the recipe and reports the smallest failing one. Its graph (the forward graph if that
/// already fails, else the VJP graph) is printed as <c>.gir</c> in the failure message, with its input seed and the
/// difference as comments, and also written to <c>RandomGraphFailures/HASH.gir</c> under the test output directory
/// (tests never write into the source tree). To keep it as a regression test, once the bug is fixed: copy that file
/// to <c>tests/GraphDL.Tests/Codegen/Regressions/</c> under a descriptive name; <see cref="RegressionTests"/> runs
/// every file there with the seed from its <c>// seed=N</c> comment and a few more. CsCheck's message also gives the
/// seed that replays the whole run (pass it as <c>seed:</c> to <c>Sample</c>, or set the <c>CsCheck_Seed</c>
/// environment variable).
/// </para>
/// <para>
/// Every run compiles new programs, so the on-disk kernel cache is switched off while it runs (it would only grow by
/// about a thousand entries a run); hence the "environment" collection, which keeps it apart from the cache's own tests.
/// </para>
/// </summary>
[Collection("environment")]
public class RandomGraphTests(ITestOutputHelper output)
{
    /// <summary>Random graphs per run; each is compiled four times (forward and VJP graph, fused and unfused).</summary>
    private const int Graphs = 300;

    /// <summary>
    /// Null when <paramref name="recipe"/>'s graph and its VJP graph match the interpreter bit for bit; else the
    /// difference and the graph that shows it.
    /// </summary>
    internal static (string Failure, Graph Graph)? Check(GraphRecipe recipe, DiffOracle oracle, CompileStats? stats = null)
    {
        var forward = RandomGraphs.Build(recipe);
        if (BackendDiff.Mismatch(forward, BackendDiff.Inputs(forward, recipe.InputSeed), oracle, stats) is { } forwardFailure)
        {
            return (forwardFailure, forward);
        }
        var vjp = GradientTransforms.Vjp(forward, forward.Inputs.Select(i => i.Name).ToArray());
        if (BackendDiff.Mismatch(vjp, BackendDiff.Inputs(vjp, recipe.InputSeed), oracle, stats) is { } backwardFailure)
        {
            return (backwardFailure, vjp);
        }
        return null;
    }

    [Fact]
    public void RandomGraphsCompiledFusedAndUnfusedMatchTheInterpreterForwardAndBackward() => RunRandomGraphs(DiffOracle.Exact);

    /// <summary>
    /// The same in the default fast mode, which is what users run: every output within the rounding error that fast
    /// mode's documented per-op bounds let through the graph (<see cref="FastModeOracle"/>).
    /// </summary>
    [Fact]
    public void RandomGraphsCompiledInFastModeMatchTheInterpreterWithinTheModelledRoundingError() => RunRandomGraphs(DiffOracle.Fast);

    private void RunRandomGraphs(DiffOracle oracle)
    {
        var cacheSetting = Environment.GetEnvironmentVariable("GRAPHDL_KERNEL_CACHE");
        Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE", "0");
        try
        {
            SampleRandomGraphs(oracle);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE", cacheSetting);
        }
    }

    private void SampleRandomGraphs(DiffOracle oracle)
    {
        var clock = Stopwatch.StartNew();
        // GRAPHDL_RANDOM_GRAPHS=N runs N graphs instead (a longer soak).
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("GRAPHDL_RANDOM_GRAPHS"), out int n) && n > 0 ? n : Graphs;
        int graphs = 0;
        var stats = new CompileStats();
        RandomGraphs.Recipe.Sample(recipe =>
        {
            var failure = Check(recipe, oracle, stats);
            graphs++;
            Assert.True(failure is null, failure?.Failure);
        }, iter: iterations, threads: 1, print: recipe => Report(recipe, oracle));
        output.WriteLine($"{graphs} random graphs in {oracle.Name} mode, each forward and VJP, fused and unfused: {stats}; {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(iterations, graphs);
        Assert.Equal(4 * iterations, stats.Programs);
    }

    /// <summary>
    /// The failure report of a (shrunk) recipe: the failing graph's .gir text with the input seed and the difference as
    /// comments, also written under the test output directory so it can be copied into Regressions/.
    /// </summary>
    private static string Report(GraphRecipe recipe, DiffOracle oracle)
    {
        try
        {
            recipe = Minimize(recipe, oracle);
            if (Check(recipe, oracle) is not { } failure)
            {
                return $"{recipe} (passes when re-run)";
            }
            var text = new StringBuilder()
                .Append("// Random-graph failure (").Append(oracle.Name).Append(" mode): ").Append(failure.Failure.ReplaceLineEndings(" ")).Append('\n')
                .Append("// ").Append(recipe).Append('\n')
                .Append("// seed=").Append(recipe.InputSeed).Append('\n')
                .Append(failure.Graph)
                .ToString();
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(failure.Graph.ToString())))[..12].ToLowerInvariant();
            var directory = Path.Combine(AppContext.BaseDirectory, "RandomGraphFailures");
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, hash + ".gir");
            File.WriteAllText(path, text);
            return $"{recipe}\nwritten to {path} (copy it to tests/GraphDL.Tests/Codegen/Regressions/ to keep it as a regression test):\n{text}";
        }
        catch (Exception e)
        {
            return $"{recipe}\n(the report itself failed: {e})";
        }
    }

    /// <summary>
    /// Greedy minimization after CsCheck's shrinking (which only searches the remaining iterations): drop steps one at
    /// a time, then simplify picks to the latest value, while the recipe still fails.
    /// </summary>
    internal static GraphRecipe Minimize(GraphRecipe recipe, DiffOracle oracle)
    {
        bool Fails(GraphRecipe candidate)
        {
            try
            {
                return Check(candidate, oracle) is not null;
            }
            catch (Exception)
            {
                return false;
            }
        }

        for (bool progress = true; progress;)
        {
            progress = false;
            for (int i = recipe.Steps.Length - 1; i >= 0 && recipe.Steps.Length > 1; i--)
            {
                var candidate = recipe with { Steps = [.. recipe.Steps[..i], .. recipe.Steps[(i + 1)..]] };
                if (Fails(candidate))
                {
                    (recipe, progress) = (candidate, true);
                }
            }
            for (int i = 0; i < recipe.Steps.Length; i++)
            {
                if (recipe.Steps[i].Pick != 0)
                {
                    var steps = recipe.Steps.ToArray();
                    steps[i] = steps[i] with { Pick = 0 };
                    var candidate = recipe with { Steps = steps };
                    if (Fails(candidate))
                    {
                        (recipe, progress) = (candidate, true);
                    }
                }
            }
        }
        return recipe;
    }

    /// <summary>
    /// The generator's coverage over a fixed seed, without compiling anything: every op family it promises appears,
    /// in f32 and f64, with size-0 values, rank-4 values and literal operands, and every graph verifies.
    /// </summary>
    [Fact]
    public void TheGeneratorCoversEveryOpFamilyAndAwkwardShapes()
    {
        var ops = new Dictionary<string, int>(StringComparer.Ordinal);
        int graphs = 0, empty = 0, rank4 = 0, literals = 0, f32 = 0, f64 = 0, steps = 0, maxSteps = 0, minNodes = int.MaxValue, maxNodes = 0, nodes = 0;
        RandomGraphs.Recipe.Sample(recipe =>
        {
            var graph = RandomGraphs.Build(recipe);
            graphs++;
            steps += recipe.Steps.Length;
            maxSteps = Math.Max(maxSteps, recipe.Steps.Length);
            (minNodes, maxNodes, nodes) = (Math.Min(minNodes, graph.Nodes.Count), Math.Max(maxNodes, graph.Nodes.Count), nodes + graph.Nodes.Count);
            foreach (var node in graph.Nodes)
            {
                ops[node.Op.Name] = ops.GetValueOrDefault(node.Op.Name) + 1;
                empty += node.Type.ElementCount == 0 ? 1 : 0;
                rank4 += node.Type.Rank == 4 ? 1 : 0;
                literals += node.Operands.Count(o => o is Literal);
                f32 += node.Type.DType == DType.F32 ? 1 : 0;
                f64 += node.Type.DType == DType.F64 ? 1 : 0;
            }
        }, iter: 1000, threads: 1);
        output.WriteLine($"{graphs} graphs, {steps} steps (at most {maxSteps}), {minNodes} to {maxNodes} nodes ({nodes / (double)graphs:F1} on average); size-0 values {empty}, rank-4 values {rank4}, literal operands {literals}, f32 nodes {f32}, f64 nodes {f64}");
        output.WriteLine(string.Join(", ", ops.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        string[] expected =
        [
            "neg", "abs", "sqrt", "exp", "log", "tanh", "logistic", "sin", "cos", "floor", "ceil", "sign", "reciprocal", "rsqrt", "erf",
            "expm1", "log1p", "stop_gradient", "cast", "add", "sub", "mul", "div", "max", "min", "pow", "eq", "ne", "lt", "le", "gt", "ge",
            "and", "or", "xor", "not", "where", "broadcast_in_dim", "reduce_sum", "reduce_max", "reduce_min", "reshape", "permute",
            "slice", "pad", "concat", "matmul",
        ];
        var missing = expected.Where(op => !ops.ContainsKey(op)).ToArray();
        Assert.True(missing.Length == 0, $"never generated: {string.Join(", ", missing)}");
        Assert.True(empty > 0 && rank4 > 0 && literals > 0 && f32 > 0 && f64 > 0 && maxSteps == 20 && minNodes == 1 && maxNodes <= 24);
    }
}
