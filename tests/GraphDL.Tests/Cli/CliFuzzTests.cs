using GraphDL.Cli.Fuzzing;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Cli;

/// <summary>
/// <c>graphdl fuzz</c> and <c>graphdl diff</c> through the CLI entry point. The fuzzer points the kernel cache at a
/// private directory through the environment while it runs, hence the "environment" collection.
/// </summary>
[Collection("environment")]
public sealed class CliFuzzTests : CliFixture
{
    [Fact]
    public void FuzzRunsEachGraphForwardAndBackwardInTheChosenConfigurations()
    {
        var output = Path.Combine(Dir, "failures");
        var (code, stdout, stderr) = Cli("fuzz", "--graphs", "3", "--seed", "5", "--config", "fused-exact-planned,unfused-fast", "--out", output, "-j", "1");
        Assert.Equal((0, ""), (code, stderr));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^graphdl fuzz: 3 graphs \(seed 5, forward and backward\), 18 programs, 0 mismatches in \d+ s: "
            + "fused-exact-planned 0/3, unfused-fast-planned 0/3, unfused-fast-unplanned 0/3$", lines[0]);
        Assert.Matches(@"^  18 programs compiled; \d+ bit-exact outputs differed only in NaN sign or payload; fast mode: \d+ elements judged, ", lines[1]);
        Assert.False(Directory.Exists(output));
        // Deterministic: the same seed gives the same graphs, inputs and judgements.
        var again = Cli("fuzz", "--graphs", "3", "--seed", "5", "--config", "fused-exact-planned,unfused-fast", "--out", output, "-j", "2").Out;
        Assert.Equal(lines[1], again.Split('\n')[1]);
    }

    /// <summary>
    /// A run split into parts checks the same graphs as one run: <c>--first</c> starts the part at a graph index, and
    /// each graph's judgement is the one a whole run gives it (the per-graph statistics add up).
    /// </summary>
    [Fact]
    public void FuzzRunsInPartsThatTogetherCheckTheGraphsOfOneRun()
    {
        FuzzReport Part(int first, int graphs) =>
            Fuzzer.Run(new FuzzOptions(graphs, 5, [FuzzConfiguration.All[0]], Path.Combine(Dir, "failures"), Jobs: 2, First: first));
        var whole = Part(0, 4);
        var (head, tail) = (Part(0, 1), Part(1, 3));
        Assert.Equal((4, 4, 1, 1, 3, 4), (whole.Graphs, whole.CheckedBelow, head.Graphs, head.CheckedBelow, tail.Graphs, tail.CheckedBelow));
        head.Stats.Add(tail.Stats);
        Assert.Equal(whole.Stats.ToString(), head.Stats.ToString());
        Assert.Contains("(seed 5, graphs 1 to 3, forward and backward)", tail.Summary(), StringComparison.Ordinal);

        var (code, _, stderr) = Cli("fuzz", "--graphs", "1", "--first", "-1");
        Assert.Equal((2, "graphdl: --graphs and --first must be at least 0 (together below 2^31) and --jobs at least 1\n"), (code, stderr));
    }

    [Fact]
    public void FuzzRejectsAnUnknownConfigurationWord()
    {
        var (code, _, stderr) = Cli("fuzz", "--graphs", "1", "--config", "fused-quick");
        Assert.Equal(2, code);
        Assert.Equal("graphdl: --config: 'quick' in configuration 'fused-quick' is not one of fused, unfused, exact, fast, planned, unplanned\n", stderr);
    }

    [Fact]
    public void DiffPrintsTheLargestErrorsPerOutputAndWhetherTheyAreAllowed()
    {
        var path = Write("exp.gir", """
            graph @g(%x: f32[64] input) -> (e: f32[64], twice: f32[64]) {
              %0 = exp(%x) : f32[64]
              %1 = add(%x, %x) : f32[64]
              return %0, %1
            }
            """);
        var (code, stdout, stderr) = Cli("diff", path, "--seed", "2");
        Assert.Equal((0, ""), (code, stderr));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("@g: fused-fast-planned against the interpreter, inputs seed 2", lines[0]);
        Assert.Matches(@"^  e: f32\[64\]  (identical|max abs error .* at \[\d+\] \(.* vs .*\)  max rel error .* at \[\d+\] \(.* vs .*\))  within the fast-mode error model$", lines[1]);
        Assert.Equal("  twice: f32[64]  identical  within the fast-mode error model", lines[2]);

        (code, stdout, _) = Cli("diff", path, "--exact", "--no-fuse", "--no-plan");
        Assert.Equal(0, code);
        Assert.Contains("@g: unfused-exact-unplanned against the interpreter, inputs seed 0\n  e: f32[64]  identical  bit-exact\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void DiffRunsTheGraphOfAModelScript()
    {
        var (code, stdout, stderr) = Cli("diff", Write("model.csx", """
            var g = Trace.Function("mlp", (x, w) => F.Tanh(x.MatMul(w) + 1.0),
                TensorSpec.Input(DType.F32, 4, 8), TensorSpec.Param(DType.F32, 8, 3));
            g
            """), "--specials");
        Assert.Equal((0, ""), (code, stderr));
        Assert.StartsWith("@mlp: fused-fast-planned against the interpreter, inputs seed 0 with specials\n  out0: f32[4,3]  ", stdout, StringComparison.Ordinal);
        Assert.EndsWith("  within the fast-mode error model\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrittenFailureIsARegressionTestAsItStands()
    {
        var recipe = Fuzzer.Recipe(3, 14);
        var graph = RandomGraphs.Build(recipe);
        var failure = new RecipeFailure(recipe, new DiffFailure(FuzzConfiguration.All[0], 0, "output y0 differs: (made up)"), false, graph);
        var written = Fuzzer.Write(new FuzzOptions(1, 3, FuzzConfiguration.All, Dir), 14, failure, failure);
        Assert.Equal(Path.Combine(Dir, "seed3-graph14.gir"), written.Path);
        var text = File.ReadAllText(written.Path);
        Assert.StartsWith("// graphdl fuzz --seed 3, graph 14: fused-exact-planned (forward): output y0 differs: (made up)\n", text, StringComparison.Ordinal);
        Assert.Contains($"\n// reproduce: graphdl diff seed3-graph14.gir --seed {recipe.InputSeed} --specials --exact\n// seed={recipe.InputSeed}\ngraph @random(", text, StringComparison.Ordinal);
        Assert.Equal(graph.ToString(), Assert.Single(GirParser.ParseModule(text, "seed3-graph14.gir")).ToString());
    }
}
