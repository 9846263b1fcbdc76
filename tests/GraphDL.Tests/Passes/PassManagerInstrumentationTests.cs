using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes;

namespace GraphDL.Tests.Passes;

/// <summary>
/// The pass manager's instruments on a real pipeline: IR printing (all, named, only changes), the numbered dump
/// directory with unified diffs (byte-identical across runs), bisection with StopAfter and Skip, and the statistics table.
/// </summary>
public sealed class PassManagerInstrumentationTests : IDisposable
{
    // canonicalize replaces mul(%x, 1.0) by %x (4 → 3 nodes); fold has nothing to do; cse merges the two negs (→ 2);
    // dce removes the unused exp (→ 1).
    private const string Source = """
        graph @demo(%x: f32[4] input) -> (f32[4], f32[4]) {
          %0 = mul(%x, 1.0) : f32[4]                           loc("Demo.cs":1)
          %1 = exp(%0) : f32[4]                                loc("Demo.cs":2)
          %2 = neg(%0) : f32[4]                                loc("Demo.cs":3)
          %3 = neg(%x) : f32[4]                                loc("Demo.cs":4)
          return %2, %3
        }
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "graphdl-pass-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static Graph Demo() => GirParser.Parse(Source, "demo.gir");

    private static (Graph Result, PassManager Manager, string Log) Run(Func<PassOptions, PassOptions> configure, string recipe = "canonicalize,fold,cse,dce")
    {
        var log = new StringWriter();
        var manager = new PassManager(PassRegistry.Parse(recipe), configure(new PassOptions { VerifyEach = true, Log = log }));
        var result = manager.Run(Demo());
        return (result, manager, log.ToString());
    }

    private static HashSet<string> Set(params string[] names) => [.. names];

    [Fact]
    public void PrintIrAfterAllShowsEveryPassWithItsHeader()
    {
        var (_, _, log) = Run(o => o with { PrintIrAfter = Set("all") });
        FileCheck.Match("""
            // CHECK: // ----- IR Dump After canonicalize ----- //
            // CHECK-NEXT: graph @demo
            // CHECK-NOT: mul(
            // CHECK: neg(%x) : f32[4] loc("Demo.cs":3)
            // CHECK: // ----- IR Dump After fold (no change) ----- //
            // CHECK-NEXT: graph @demo
            // CHECK: // ----- IR Dump After cse ----- //
            // CHECK: // ----- IR Dump After dce ----- //
            // CHECK-NEXT: graph @demo
            // CHECK-NEXT: [[N:%[0-9]+]] = neg(%x) : f32[4] loc("Demo.cs":3)
            // CHECK-NEXT: return [[N]], [[N]]
            """, log, "print-ir-after-all");
    }

    [Fact]
    public void PrintOnlyChangesSkipsPassesThatChangedNothing()
    {
        var (_, _, log) = Run(o => o with { PrintIrAfter = Set("all"), PrintOnlyChanges = true });
        Assert.Contains("IR Dump After canonicalize ----- //", log);
        Assert.Contains("IR Dump After cse ----- //", log);
        Assert.DoesNotContain("After fold", log);
        Assert.DoesNotContain("(no change)", log);
    }

    [Fact]
    public void PrintBeforeAndAfterNamedPassesOnly()
    {
        var (_, _, log) = Run(o => o with { PrintIrBefore = Set("cse"), PrintIrAfter = Set("dce") });
        var headers = log.Split('\n').Where(l => l.StartsWith("// -----", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["// ----- IR Dump Before cse ----- //", "// ----- IR Dump After dce ----- //"], headers);
    }

    [Fact]
    public void DumpDirectoryHoldsNumberedFilesAndUnifiedDiffs()
    {
        var dir = Path.Combine(_root, "dump");
        var (result, _, _) = Run(o => o with { DumpDirectory = dir });
        var files = Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["00-input.gir", "01-canonicalize.diff", "01-canonicalize.gir", "02-fold.diff", "02-fold.gir", "03-cse.diff", "03-cse.gir", "04-dce.diff", "04-dce.gir"],
            files);
        Assert.Equal(Demo().ToString(), File.ReadAllText(Path.Combine(dir, "00-input.gir")));
        Assert.Equal(result.ToString(), File.ReadAllText(Path.Combine(dir, "04-dce.gir")));
        // Every dump parses back to the graph it shows.
        foreach (var gir in files.Where(f => f.EndsWith(".gir", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(Path.Combine(dir, gir));
            Assert.Equal(text, GirParser.Parse(text, gir).ToString());
        }

        Assert.Equal("", File.ReadAllText(Path.Combine(dir, "02-fold.diff")));
        var diff = File.ReadAllText(Path.Combine(dir, "01-canonicalize.diff"));
        FileCheck.Match("""
            // CHECK: --- 00-input.gir
            // CHECK-NEXT: +++ 01-canonicalize.gir
            // CHECK-NEXT: @@ -1,{{[0-9]+}} +1,{{[0-9]+}} @@
            // CHECK-NEXT: {{^}} graph @demo
            // CHECK-NEXT: {{^}}-  %0 = mul(%x, 1.0)
            // CHECK: {{^}}+  %0 = exp(%x)
            """, diff, "01-canonicalize.diff");
        Assert.All(diff.TrimEnd('\n').Split('\n').Skip(3), line => Assert.Contains(line[0], " +-@"));
    }

    [Fact]
    public void DumpsAreByteIdenticalAcrossRunsAndStaleFilesGo()
    {
        string first = Path.Combine(_root, "first"), second = Path.Combine(_root, "second");
        Directory.CreateDirectory(second);
        File.WriteAllText(Path.Combine(second, "07-stale.gir"), "left over from another pipeline");
        File.WriteAllText(Path.Combine(second, "notes.txt"), "not a dump");
        Run(o => o with { DumpDirectory = first });
        Run(o => o with { DumpDirectory = second });
        var names = Directory.GetFiles(first).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names.Append("notes.txt").Order(StringComparer.Ordinal), Directory.GetFiles(second).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, name)), File.ReadAllBytes(Path.Combine(second, name)));
        }
    }

    [Fact]
    public void StopAfterEndsThePipelineAtThatPass()
    {
        var dir = Path.Combine(_root, "stop");
        var (result, manager, _) = Run(o => o with { StopAfter = "cse", DumpDirectory = dir });
        Assert.Equal(["canonicalize", "fold", "cse"], manager.Records.Select(r => r.Name));
        Assert.Equal(PassFileTests.Pipeline("canonicalize,fold,cse").Run(Demo()).ToString(), result.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "04-dce.gir")));
        Assert.Contains("exp(", result.ToString());
    }

    [Fact]
    public void SkipLeavesAPassOutAndRecordsIt()
    {
        var (result, manager, _) = Run(o => o with { Skip = Set("cse") });
        var skipped = Assert.Single(manager.Records, r => r.Skipped);
        Assert.Equal("cse", skipped.Name);
        Assert.False(skipped.Changed);
        // Without cse the two negs stay apart.
        Assert.Equal(2, result.Nodes.Count(n => n.Op.Name == "neg"));
        Assert.Throws<ArgumentException>(() => new PassManager(PassRegistry.Parse("cse,dce"), new PassOptions { Skip = Set("fold") }));
    }

    [Fact]
    public void StatisticsTableHasARowPerPass()
    {
        var (_, manager, log) = Run(o => o with { Statistics = true, Skip = Set("fold") });
        var lines = log.TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Matches(@"^pass\s+ms\s+nodes\s+delta\s+elem\s+reduce\s+move\s+contract\s+other\s+MFLOP\s+MB$", lines[0]);
        Assert.Matches(@"^\(input\)\s+4\s+4\s", lines[1]);
        Assert.Matches(@"^canonicalize\s+\d+\.\d\d\s+3\s+-1\s+3\s", lines[2]);
        Assert.Matches(@"^fold \(skipped\)\s+0\.00\s+3\s+3\s", lines[3]);
        Assert.Matches(@"^cse\s+\d+\.\d\d\s+2\s+-1\s+2\s", lines[4]);
        Assert.Matches(@"^dce\s+\d+\.\d\d\s+1\s+-1\s+1\s", lines[5]);
        Assert.Equal([3, 3, 2, 1], manager.Records.Select(r => r.NodesAfter));
    }
}
