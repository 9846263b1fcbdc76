using System.Text.RegularExpressions;
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
        Assert.Equal(151, graph.Nodes.Count);
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

    /// <summary>
    /// The generated C# reads like hand-written code: imported names rather than <c>global::</c>, float literals
    /// rather than bit patterns, no call into an op's reference evaluation, no vector loop whose constant bound is
    /// below its step, and each kernel's header names its nodes as the fusion report does.
    /// </summary>
    [Fact]
    public void TheGeneratedCSharpIsReadable()
    {
        var (code, source, stderr) = Cli("compile", Script, "--emit", "csharp");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("global::", source, StringComparison.Ordinal);
        Assert.DoesNotContain("BitConverter", source, StringComparison.Ordinal);
        Assert.DoesNotContain(".Instance.", source, StringComparison.Ordinal);
        // Adam's β₂ as a plain float literal (the loss's mean divides by the count of targets not ignored, a runtime value).
        Assert.Contains("0.999f", source, StringComparison.Ordinal);
        var loops = Regex.Matches(source, @"for \(; j \+ (\d+) <= (\d+);");
        Assert.NotEmpty(loops);
        Assert.All(loops, loop => Assert.True(long.Parse(loop.Groups[1].Value) <= long.Parse(loop.Groups[2].Value), loop.Value));

        var report = Cli("compile", Script, "--emit", "fusion").Out.Split('\n');
        var headers = Regex.Matches(source, @"    // (k\d+): [^\n]*\n((?:    //   [^\n]*\n)+)");
        Assert.NotEmpty(headers);
        foreach (Match header in headers)
        {
            string kernel = header.Groups[1].Value;
            string line = Assert.Single(report, l => l.StartsWith(kernel + " = ", StringComparison.Ordinal));
            foreach (var node in header.Groups[2].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                // "    //   %10 abs : f32[64,1]  (model.csx:9)" names "%10 abs", as the report does.
                var named = Regex.Match(node, @"^    //   (%\d+ \w+) : ");
                Assert.True(named.Success, node);
                Assert.Contains(named.Groups[1].Value + " ", line + " ", StringComparison.Ordinal);
            }
        }
    }
}
