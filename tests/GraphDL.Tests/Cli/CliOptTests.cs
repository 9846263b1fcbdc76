using GraphDL.Cli;
using GraphDL.IR.Text;
using GraphDL.Passes;

namespace GraphDL.Tests.Cli;

/// <summary><c>graphdl opt</c> through the CLI entry point, with test-registered passes.</summary>
public sealed class CliOptTests : CliFixture
{
    [Fact]
    public void WithoutPassesItPrintsTheCanonicalForm()
    {
        foreach (var text in new[] { Affine, TwoGraphs })
        {
            var path = Write("module.gir", text);
            var (code, stdout, stderr) = Cli("opt", path);
            Assert.Equal((0, ""), (code, stderr));
            Assert.Equal(Cli("print", path).Out, stdout);
            Assert.Equal(GirPrinter.Print(GirParser.ParseModule(text)), stdout);
        }
    }

    [Fact]
    public void ItRunsThePassesInOrderAndPrintsTheResult()
    {
        var path = Write("affine.gir", Affine);
        var (code, stdout, stderr) = Cli("opt", path, "--passes=test.swap,test.noop");
        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains("  %0 = mul(%s, %x) : f32[2,3]", stdout, StringComparison.Ordinal);
        Assert.Contains("loc(\"Affine.cs\":7)", stdout, StringComparison.Ordinal);
        // repeated flags are the same pipeline
        Assert.Equal(stdout, Cli("opt", path, "--passes", "test.swap", "--passes", "test.noop").Out);
        // every graph of the module goes through the pipeline
        var (_, both, _) = Cli("opt", Write("two.gir", TwoGraphs), "--passes=test.swap");
        Assert.Equal(2, GirParser.ParseModule(both).Count);
        Assert.Contains("mul(%s, %x)", both, StringComparison.Ordinal);
    }

    [Fact]
    public void PrintIrAfterAllShowsEveryPassOnStderr()
    {
        var (code, stdout, stderr) = Cli("opt", Write("affine.gir", Affine), "--passes=test.swap,test.noop", "--print-ir-after-all");
        Assert.Equal(0, code);
        Assert.DoesNotContain("IR Dump", stdout, StringComparison.Ordinal);
        int swap = stderr.IndexOf("// ----- IR Dump After test.swap ----- //\ngraph @affine(", StringComparison.Ordinal);
        int noop = stderr.IndexOf("// ----- IR Dump After test.noop (no change) ----- //\ngraph @affine(", StringComparison.Ordinal);
        Assert.True(swap >= 0 && noop > swap, stderr);
        Assert.Contains("mul(%s, %x)", stderr[swap..noop], StringComparison.Ordinal);
    }

    [Fact]
    public void PrintIrBeforeAfterAndAfterChangeSelectPasses()
    {
        var path = Write("affine.gir", Affine);
        var (_, _, before) = Cli("opt", path, "--passes=test.swap,test.noop", "--print-ir-before=test.noop");
        Assert.Equal(1, Count(before, "// -----"));
        Assert.StartsWith("// ----- IR Dump Before test.noop ----- //\ngraph @affine", before, StringComparison.Ordinal);
        Assert.Contains("mul(%s, %x)", before, StringComparison.Ordinal);

        var (_, _, after) = Cli("opt", path, "--passes=test.swap,test.noop", "--print-ir-after=test.noop");
        Assert.Equal(1, Count(after, "// -----"));
        Assert.Contains("// ----- IR Dump After test.noop (no change) ----- //", after, StringComparison.Ordinal);

        var (_, _, changes) = Cli("opt", path, "--passes=test.swap,test.noop", "--print-ir-after-change");
        Assert.Equal(1, Count(changes, "// -----"));
        Assert.Contains("// ----- IR Dump After test.swap ----- //", changes, StringComparison.Ordinal);

        var (_, _, all) = Cli("opt", path, "--passes=test.swap,test.noop", "--print-ir-before-all", "--print-ir-after-all");
        Assert.Equal(4, Count(all, "// -----"));
    }

    [Fact]
    public void DumpDirGetsNumberedFilesAndDiffsThatAreTheSameOnEveryRun()
    {
        var path = Write("affine.gir", Affine);
        var first = Path.Combine(Dir, "dump1");
        var second = Path.Combine(Dir, "dump2");
        Assert.Equal(0, Cli("opt", path, "--passes=test.swap,test.noop,test.swap", "--dump-dir", first).Code);
        Assert.Equal(0, Cli("opt", path, "--passes=test.swap,test.noop,test.swap", $"--dump-dir={second}").Code);
        var files = Files(first);
        Assert.Equal(
            ["00-input.gir", "01-test.swap.diff", "01-test.swap.gir", "02-test.noop.diff", "02-test.noop.gir", "03-test.swap.diff", "03-test.swap.gir"],
            files.Select(f => f.Name));
        Assert.Equal(files, Files(second));   // byte-identical across runs
        var diff = files.Single(f => f.Name == "01-test.swap.diff").Text;
        Assert.StartsWith("--- 00-input.gir\n+++ 01-test.swap.gir\n@@ ", diff, StringComparison.Ordinal);
        Assert.Contains("\n-  %0 = mul(%x, %s) : f32[2,3]", diff, StringComparison.Ordinal);
        Assert.Contains("\n+  %0 = mul(%s, %x) : f32[2,3]", diff, StringComparison.Ordinal);
        Assert.Equal("", files.Single(f => f.Name == "02-test.noop.diff").Text);
        Assert.Equal(files.Single(f => f.Name == "01-test.swap.gir").Text, Cli("opt", path, "--passes=test.swap").Out);

        // a shorter pipeline into the same directory leaves no stale files
        Assert.Equal(0, Cli("opt", path, "--passes=test.noop", "--dump-dir", first).Code);
        Assert.Equal(["00-input.gir", "01-test.noop.diff", "01-test.noop.gir"], Files(first).Select(f => f.Name));
    }

    [Fact]
    public void DumpDirHasOneSubdirectoryPerGraphOfAModule()
    {
        var dump = Path.Combine(Dir, "dump");
        var (code, _, stderr) = Cli("opt", Write("two.gir", TwoGraphs), "--passes=test.swap", "--dump-dir", dump, "--print-ir-after-all");
        Assert.Equal(0, code);
        Assert.Equal(["00-input.gir", "01-test.swap.diff", "01-test.swap.gir"], Files(Path.Combine(dump, "affine")).Select(f => f.Name));
        Assert.Equal(["00-input.gir", "01-test.swap.diff", "01-test.swap.gir"], Files(Path.Combine(dump, "second")).Select(f => f.Name));
        Assert.True(stderr.IndexOf("// ===== @affine ===== //", StringComparison.Ordinal) < stderr.IndexOf("// ===== @second ===== //", StringComparison.Ordinal));
    }

    [Fact]
    public void StatsPrintsATableWithOneRowPerPass()
    {
        var (code, stdout, stderr) = Cli("opt", Write("affine.gir", Affine), "--passes=test.swap,test.noop", "--stats");
        Assert.Equal(0, code);
        Assert.Contains("mul(%s, %x)", stdout, StringComparison.Ordinal);
        var rows = stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(4, rows.Length);
        Assert.Matches(@"^pass\s+ms\s+nodes\s+delta\s+elem\s+reduce\s+move\s+contract\s+other\s+MFLOP\s+MB$", rows[0]);
        Assert.Matches(@"^\(input\)\s+2\s+2\s", rows[1]);
        Assert.Matches(@"^test\.swap\s+[0-9.]+\s+2\s+2\s", rows[2]);
        Assert.Matches(@"^test\.noop\s+[0-9.]+\s+2\s+2\s", rows[3]);
    }

    [Fact]
    public void StopAfterAndSkipBisectThePipeline()
    {
        var path = Write("affine.gir", Affine);
        var (code, stopped, _) = Cli("opt", path, "--passes=test.swap,test.bump", "--stop-after=test.swap");
        Assert.Equal(0, code);
        Assert.Contains("mul(%s, %x)", stopped, StringComparison.Ordinal);
        Assert.Contains("add(%0, 1.0)", stopped, StringComparison.Ordinal);

        var (code2, skipped, stats) = Cli("opt", path, "--passes=test.swap,test.bump", "--skip=test.swap", "--stats");
        Assert.Equal(0, code2);
        Assert.Contains("mul(%x, %s)", skipped, StringComparison.Ordinal);
        Assert.Contains("add(%0, 2.0)", skipped, StringComparison.Ordinal);
        Assert.Contains("test.swap (skipped)", stats, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--passes=test.swap,frobnicate")]
    [InlineData("--passes=frobnicate")]
    public void AnUnknownPassExitsTwoListingTheKnownPasses(string passes)
    {
        var (code, stdout, stderr) = Cli("opt", Write("affine.gir", Affine), passes);
        Assert.Equal((2, ""), (code, stdout));
        Assert.StartsWith("graphdl: unknown pass 'frobnicate'; known passes: ", stderr, StringComparison.Ordinal);
        foreach (var name in PassRegistry.Names)
        {
            Assert.Contains(name, stderr, StringComparison.Ordinal);
        }
        Assert.Contains("test.swap", stderr, StringComparison.Ordinal);
        Assert.Contains("pipelines: simplify", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--skip=test.bump")]
    [InlineData("--stop-after=test.bump")]
    public void BisectingAPassThatIsNotInThePipelineExitsTwo(string flag)
    {
        var (code, _, stderr) = Cli("opt", Write("affine.gir", Affine), "--passes=test.swap", flag);
        Assert.Equal(2, code);
        Assert.Contains("no pass named 'test.bump' in the pipeline (test.swap)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSanitizerNamesTheMiscompilingPassAndExitsOne()
    {
        var path = Write("affine.gir", Affine);
        var (good, _, report) = Cli("opt", path, "--passes=test.swap", "--sanitize");
        Assert.Equal(0, good);
        Assert.Contains("// sanitizer: test.swap keeps the outputs of @affine", report, StringComparison.Ordinal);

        var (code, stdout, stderr) = Cli("opt", path, "--passes=test.swap,test.bump", "--sanitize");
        Assert.Equal((1, ""), (code, stdout));
        Assert.Contains("numerical sanitizer: pass 'test.bump' changed output y of @affine", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingPassExitsOneWithItsMessage()
    {
        PassRegistry.Register("test.fail", () => new LambdaPass("test.fail", "fails", _ => throw new PassFailedException("test.fail", "pass 'test.fail' cannot cope")));
        var (code, stdout, stderr) = Cli("opt", Write("affine.gir", Affine), "--passes=test.swap,test.fail", "--verify-each");
        Assert.Equal((1, ""), (code, stdout));
        Assert.Equal("error: pass 'test.fail' cannot cope\n", stderr);
    }

    [Fact]
    public void ParseErrorsAndMissingFilesKeepTheirExitCodes()
    {
        var (code, _, stderr) = Cli("opt", Write("bad.gir", Affine.Replace("mul(%x, %s)", "mul(%x, %t)", StringComparison.Ordinal)), "--passes=test.swap");
        Assert.Equal(1, code);
        Assert.StartsWith("bad.gir:2:", stderr, StringComparison.Ordinal);
        Assert.Equal(2, Cli("opt", Path.Combine(Dir, "absent.gir")).Code);
    }

    [Fact]
    public void NameListsSplitOnCommasAndPipelinesCountAsKnown()
    {
        Assert.Equal(["a", "b", "c"], PipelineFlags.Split(["a,b", " c "]).Order(StringComparer.Ordinal));
        Assert.Null(PipelineRunner.UnknownPasses(["test.swap", "simplify"]));
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
