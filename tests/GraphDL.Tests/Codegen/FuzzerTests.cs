using GraphDL.Cli.Fuzzing;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Codegen;

/// <summary>The parts of the fuzzer that need no compiler: configuration names, the shrinker's two stages.</summary>
public class FuzzerTests
{
    [Fact]
    public void ConfigurationsAreChosenByTheWordsOfTheirNames()
    {
        Assert.Equal(8, FuzzConfiguration.All.Distinct().Count());
        Assert.Equal(["fused-fast-planned", "fused-fast-unplanned", "unfused-fast-planned", "unfused-fast-unplanned"],
            FuzzConfiguration.Select(["fast"]).Select(c => c.Name));
        Assert.Equal(["fused-exact-unplanned", "fused-fast-planned"], FuzzConfiguration.Select(["fused-fast-planned,exact-fused-unplanned"]).Select(c => c.Name));
        Assert.Throws<ArgumentException>(() => FuzzConfiguration.Select(["fused-quick"]));
    }

    [Fact]
    public void MinimizeDropsEveryStepTheFailureDoesNotNeed()
    {
        // A stand-in failure: the graph has a reduction. The smallest recipe keeps one step, and it reduces.
        static bool HasReduction(GraphRecipe r) => RandomGraphs.Build(r).Nodes.Any(n => n.Op.Name.StartsWith("reduce_", StringComparison.Ordinal));
        var recipe = Enumerable.Range(0, 100).Select(i => Fuzzer.Recipe(9, i)).First(r => HasReduction(r) && r.Steps.Length > 10);
        var minimal = FailureShrinker.Minimize(recipe, HasReduction);
        Assert.Single(minimal.Steps);
        Assert.True(HasReduction(minimal));
    }

    [Fact]
    public void KeepOutputKeepsTheNodesTheOutputNeedsAndOptionallyItsInputs()
    {
        var graph = GirParser.Parse("""
            graph @g(%x: f32[4] input, %y: f32[4] input) -> (a: f32[4], b: f32[4]) {
              %0 = exp(%x) : f32[4]
              %1 = neg(%y) : f32[4]
              %2 = add(%0, %1) : f32[4]
              %3 = abs(%y) : f32[4]
              return %3, %2
            }
            """);
        var kept = FailureShrinker.KeepOutput(graph, 0, dropUnusedInputs: false);
        Assert.Equal(2, kept.Inputs.Count);
        Assert.Equal(["abs"], kept.Nodes.Select(n => n.Op.Name));
        Assert.Equal("a", kept.OutputName(0));
        Assert.Equal(["y"], FailureShrinker.KeepOutput(graph, 0, dropUnusedInputs: true).Inputs.Select(i => i.Name));
        Assert.Equal(["exp", "neg", "add"], FailureShrinker.KeepOutput(graph, 1, dropUnusedInputs: true).Nodes.Select(n => n.Op.Name));
    }
}
