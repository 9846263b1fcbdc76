using GraphDL.IR.Text;
using GraphDL.Tests.Architecture;

namespace GraphDL.Tests.Cli;

/// <summary>The MNIST MLP's training step, compiled from examples/MnistMlp/model.csx through the CLI entry point.</summary>
public sealed class MnistMlpScriptTests : CliFixture
{
    private static string Script => Path.Combine(LayeringTests.RepoRoot(), "examples", "MnistMlp", "model.csx");

    [Fact]
    public void PrintIrAfterAllShowsAutodiffOptimizerAndSimplify()
    {
        var (code, stdout, stderr) = Cli("compile", Script, "--print-ir-after-all");
        Assert.Equal(0, code);
        string[] passes = ["autodiff", "optimizer", "canonicalize", "fold", "cse", "dce"];
        var positions = passes.Select(p => stderr.IndexOf($"// ----- IR Dump After {p}", StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p >= 0, stderr[..Math.Min(stderr.Length, 2000)]));
        Assert.Equal(positions.Order(), positions);
        var graph = GirParser.Parse(stdout);
        Assert.Equal(138, graph.Nodes.Count);
        Assert.Contains("loc(\"model.csx\":9)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void DumpsAreNumberedDiffedAndByteIdenticalAcrossRuns()
    {
        var first = Path.Combine(Dir, "first");
        var second = Path.Combine(Dir, "second");
        Assert.Equal(0, Cli("compile", Script, "--dump-dir", first).Code);
        Assert.Equal(0, Cli("compile", Script, "--dump-dir", second).Code);
        var names = Directory.GetFiles(first).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["00-input.gir", "01-autodiff.diff", "01-autodiff.gir", "02-optimizer.diff", "02-optimizer.gir", "03-canonicalize.diff",
             "03-canonicalize.gir", "04-fold.diff", "04-fold.gir", "05-cse.diff", "05-cse.gir", "06-dce.diff", "06-dce.gir",
             // the CPU backend's stages: the fused graph, the steps, their schedule, the program with its arena, the C#
             "07-fuse.diff", "07-fuse.gir", "08-lower.txt", "09-schedule.txt", "10-plan-memory.txt", "11-codegen.cs"],
            names);
        foreach (var name in names)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, name)), File.ReadAllBytes(Path.Combine(second, name)));
        }
        Assert.StartsWith("--- 04-fold.gir\n+++ 05-cse.gir\n@@ ", File.ReadAllText(Path.Combine(first, "05-cse.diff")), StringComparison.Ordinal);
    }
}
