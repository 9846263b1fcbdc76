using GraphDL.Cli;
using GraphDL.IR.Text;
using GraphDL.Passes;
using GraphDL.Passes.Visualization;

namespace GraphDL.Tests.Cli;

/// <summary><c>graphdl compile</c> through the CLI entry point: .gir files, model scripts, emitters.</summary>
public sealed class CliCompileTests : CliFixture
{
    private const string TracedScript = """
        // a traced graph as the last expression
        var g = Trace.Function("mlp", (x, w) =>
            F.Relu(x.MatMul(w) + 1.0),
            TensorSpec.Input(DType.F32, 4, 8), TensorSpec.Param(DType.F32, 8, 3));
        g
        """;

    private const string TrainStepScript = """
        var model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        var x = HostTensor.Zeros(new TensorType(DType.F32, 8, 3));
        var y = HostTensor.Zeros(new TensorType(DType.I64, 8));
        Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Adam(1e-3), x, y)
        """;

    [Fact]
    public void AGirFileIsCompiledToVerifiedIr()
    {
        var path = Write("affine.gir", Affine);
        var (code, stdout, stderr) = Cli("compile", path);
        Assert.Equal((0, ""), (code, stderr));
        var graph = Assert.Single(GirParser.ParseModule(stdout));
        Assert.Equal("affine", graph.Name);
        Assert.Contains("mul(", stdout, StringComparison.Ordinal);
        Assert.Equal(stdout, Cli("compile", path, "--emit", "ir").Out);
        Assert.Equal(2, GirParser.ParseModule(Cli("compile", Write("two.gir", TwoGraphs)).Out).Count);
    }

    [Fact]
    public void TheDefaultPipelineIsSimplifyAsFarAsItsPassesExist()
    {
        var registered = PassRegistry.Names;
        var expected = Pipelines.Simplify.Split(',').Where(registered.Contains).ToArray();
        Assert.Equal(expected, PassRegistry.Parse(CliApp.DefaultRecipe).Select(p => p.Name));
    }

    [Fact]
    public void AScriptReturningATracedGraphIsCompiledWithLocationsInTheScript()
    {
        var (code, stdout, stderr) = Cli("compile", Write("model.csx", TracedScript));
        Assert.Equal((0, ""), (code, stderr));
        var graph = Assert.Single(GirParser.ParseModule(stdout));
        Assert.Equal("mlp", graph.Name);
        Assert.Equal(["x", "w"], graph.Inputs.Select(i => i.Name));
        // caller info (MatMul) and stack frames (the + operator) both name the script's line
        Assert.Contains("matmul(%x, %w) : f32[4,3]", stdout, StringComparison.Ordinal);
        Assert.All(graph.Nodes, n => Assert.Equal("model.csx:3", n.Loc.ToString()));
    }

    [Fact]
    public void AScriptReturningATrainingStepShowsItsWholePipeline()
    {
        var script = Write("train.csx", TrainStepScript);
        var dump = Path.Combine(Dir, "dump");
        var (code, stdout, stderr) = Cli("compile", script, "--print-ir-after-all", "--dump-dir", dump);
        Assert.Equal(0, code);
        var graph = Assert.Single(GirParser.ParseModule(stdout));
        Assert.Equal("train_step", graph.Name);
        Assert.Contains(graph.Outputs, o => o.Aliases is not null);
        int autodiff = stderr.IndexOf("// ----- IR Dump After autodiff ----- //", StringComparison.Ordinal);
        int optimizer = stderr.IndexOf("// ----- IR Dump After optimizer ----- //", StringComparison.Ordinal);
        Assert.True(autodiff >= 0 && optimizer > autodiff, stderr);

        var files = Files(dump);
        Assert.Equal(["00-input.gir", "01-autodiff.diff", "01-autodiff.gir", "02-optimizer.diff", "02-optimizer.gir"], files.Take(5).Select(f => f.Name));
        // one numbered sequence: the script's passes, then the default pipeline's, then the backend's fuse, each diffed
        // against the one before
        var girs = files.Where(f => f.Name.EndsWith(".gir", StringComparison.Ordinal)).ToArray();
        Assert.Equal(PassRegistry.Parse(CliApp.DefaultRecipe).Count + 4, girs.Length);
        for (int i = 1; i < girs.Length; i++)
        {
            Assert.StartsWith($"{i:00}-", girs[i].Name, StringComparison.Ordinal);
            var diff = files.Single(f => f.Name == Path.ChangeExtension(girs[i].Name, ".diff")).Text;
            Assert.True(diff.Length == 0 || diff.StartsWith($"--- {girs[i - 1].Name}\n+++ {girs[i].Name}\n", StringComparison.Ordinal), diff);
        }
        // The graph the backend compiles is printed; its fused form is the next dump, then the backend's stages.
        Assert.Equal(girs[^2].Text, stdout);
        Assert.EndsWith("-fuse.gir", girs[^1].Name, StringComparison.Ordinal);
        int n = girs.Length;
        Assert.Equal([$"{n:00}-lower.txt", $"{n + 1:00}-schedule.txt", $"{n + 2:00}-plan-memory.txt", $"{n + 3:00}-codegen.cs"],
            files.Where(f => f.Name.EndsWith(".txt", StringComparison.Ordinal) || f.Name.EndsWith(".cs", StringComparison.Ordinal)).Select(f => f.Name));
        Assert.Contains("steps of @train_step in run order", files.Single(f => f.Name.EndsWith("-schedule.txt", StringComparison.Ordinal)).Text, StringComparison.Ordinal);

        // byte-identical on a second run
        var again = Path.Combine(Dir, "again");
        Assert.Equal(0, Cli("compile", script, "--dump-dir", again).Code);
        Assert.Equal(files, Files(again));
    }

    [Fact]
    public void StopAfterAPassInsideTheScriptStopsThere()
    {
        var (code, stdout, stderr) = Cli("compile", Write("train.csx", TrainStepScript), "--stop-after=autodiff");
        Assert.Equal((0, ""), (code, stderr));
        var graph = Assert.Single(GirParser.ParseModule(stdout));
        Assert.Contains(graph.Outputs, o => o.Name == "grad.m0.weight");
        Assert.DoesNotContain(graph.Outputs, o => o.Aliases is not null);
    }

    [Fact]
    public void PipelineStagesContinueOneDumpSequence()
    {
        var dump = Path.Combine(Dir, "dump");
        var swapped = new PassManager([PassRegistry.Create("test.swap")], new PassOptions { DumpDirectory = dump, Log = TextWriter.Null })
            .Run(Parse(Affine));
        var result = PipelineRunner.RunContinuing(swapped, [PassRegistry.Create("test.bump"), PassRegistry.Create("test.noop")],
            new PassOptions { DumpDirectory = dump, Log = TextWriter.Null });
        var files = Files(dump);
        Assert.Equal(["00-input.gir", "01-test.swap.diff", "01-test.swap.gir", "02-test.bump.diff", "02-test.bump.gir", "03-test.noop.diff", "03-test.noop.gir"],
            files.Select(f => f.Name));
        Assert.StartsWith("--- 01-test.swap.gir\n+++ 02-test.bump.gir\n@@ ", files[3].Text, StringComparison.Ordinal);
        Assert.Contains("+  %1 = add(%0, 2.0)", files[3].Text, StringComparison.Ordinal);
        Assert.Equal(result.ToString(), files[6].Text);
        Assert.False(Directory.Exists(Path.Combine(dump, ".graphdl-stage")));
    }

    [Fact]
    public void AScriptCompileErrorGivesScriptLineAndColumn()
    {
        var path = Write("model.csx", """
            var a = 1;
            var b = nope + 2;
            a
            """);
        var (code, stdout, stderr) = Cli("compile", path);
        Assert.Equal((1, ""), (code, stdout));
        Assert.StartsWith("model.csx:2:9: error: CS0103: The name 'nope' does not exist in the current context\n  var b = nope + 2;\n          ^\n", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x + w", "add")]
    [InlineData("x.MatMul(x)", "matmul")]
    public void AShapeErrorInTheScriptNamesTheScriptLine(string expression, string op)
    {
        var path = Write("model.csx", $$"""
            // line 1
            var g = Trace.Function("bad", (x, w) =>
                {{expression}},
                TensorSpec.Input(DType.F32, 4, 8), TensorSpec.Param(DType.F32, 8, 3));
            g
            """);
        var (code, stdout, stderr) = Cli("compile", path);
        Assert.Equal((1, ""), (code, stdout));
        Assert.StartsWith($"model.csx:3: error: {op}: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherScriptExceptionsNameTheScriptLine()
    {
        var (code, _, stderr) = Cli("compile", Write("model.csx", "var a = 1;\nthrow new InvalidOperationException(\"boom\");\n"));
        Assert.Equal(1, code);
        Assert.Equal("model.csx:2: error: InvalidOperationException: boom\n", stderr);
    }

    [Theory]
    [InlineData("42", "is a Int32; it must be a Graph")]
    [InlineData("var a = 42;", "gives no value")]
    public void AScriptMustEndInAGraph(string script, string message)
    {
        var (code, _, stderr) = Cli("compile", Write("model.csx", script));
        Assert.Equal(1, code);
        Assert.StartsWith("model.csx: error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ScriptEvaluationIsDeterministic()
    {
        var path = Write("model.csx", TracedScript);
        Assert.Equal(Cli("compile", path).Out, Cli("compile", path).Out);
        Assert.Equal(Cli("compile", path, "--emit", "dot").Out, Cli("compile", path, "--emit", "dot").Out);
    }

    [Fact]
    public void EmitDotWritesOneDigraphPerGraph()
    {
        var (code, stdout, stderr) = Cli("compile", Write("affine.gir", Affine), "--emit", "dot");
        Assert.Equal((0, ""), (code, stderr));
        Assert.StartsWith("digraph \"affine\" {\n", stdout, StringComparison.Ordinal);
        Assert.EndsWith("}\n", stdout, StringComparison.Ordinal);
        Assert.Contains("  i0 [shape=ellipse, fillcolor=white, label=\"%x\\nf32[2,3]\\ninput\"];\n", stdout, StringComparison.Ordinal);
        Assert.Contains("label=\"%0 = mul(%x, %s)\\nf32[2,3]\\nAffine.cs:7\"", stdout, StringComparison.Ordinal);
        Assert.Contains("label=\"%1 = add(%0, 1.0)\\nf32[2,3]\"", stdout, StringComparison.Ordinal);
        Assert.Contains("  o0 [shape=ellipse, peripheries=2, label=\"y\\nf32[2,3]\"];\n", stdout, StringComparison.Ordinal);
        Assert.Contains("  i1 -> n0 [label=\"1\"];\n", stdout, StringComparison.Ordinal);

        var (_, two, _) = Cli("compile", Write("two.gir", TwoGraphs), "--emit=dot");
        Assert.Equal(2, two.Split('\n').Count(l => l.StartsWith("digraph ", StringComparison.Ordinal)));
        var (_, one, _) = Cli("compile", Write("two.gir", TwoGraphs), "--emit=dot", "--graph", "second");
        Assert.StartsWith("digraph \"second\" {", one, StringComparison.Ordinal);
        Assert.Single(one.Split('\n'), l => l.StartsWith("digraph ", StringComparison.Ordinal));

        var file = Path.Combine(Dir, "graphdl-out", "out.dot");   // -o creates the folder (the README writes to graphdl-out/)
        var (written, nothing, _) = Cli("compile", Write("affine.gir", Affine), "--emit", "dot", "-o", file);
        Assert.Equal((0, ""), (written, nothing));
        Assert.Equal(stdout, File.ReadAllText(file));
    }

    [Fact]
    public void EmitDotOfAScript()
    {
        var (code, stdout, _) = Cli("compile", Write("model.csx", TracedScript), "--emit", "dot");
        Assert.Equal(0, code);
        Assert.StartsWith("digraph \"mlp\" {", stdout, StringComparison.Ordinal);
        Assert.Contains("\\nf32[4,3]\\nmodel.csx:3\"", stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void EmitSvgAndPngRenderWithGraphviz()
    {
        Skip.If(Graphviz.Find() is null, "Graphviz's dot is not on PATH");
        var path = Write("affine.gir", Affine);
        var (code, svg, stderr) = Cli("compile", path, "--emit", "svg");
        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("Affine.cs:7", svg, StringComparison.Ordinal);

        var png = Path.Combine(Dir, "affine.png");
        Assert.Equal(0, Cli("compile", path, "--emit", "png", "-o", png).Code);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png).Take(4));

        Assert.Equal(2, Cli("compile", Write("two.gir", TwoGraphs), "--emit", "svg").Code);
        Assert.Equal(0, Cli("compile", Write("two.gir", TwoGraphs), "--emit", "svg", "--graph", "affine").Code);
    }

    [Fact]
    public void RenderingUsageErrorsExitTwo()
    {
        Assert.Null(Graphviz.Find(""));
        Assert.Null(Graphviz.Find(Dir));
        var path = Write("affine.gir", Affine);
        var (code, _, stderr) = Cli("compile", path, "--emit", "png");
        Assert.Equal(2, code);
        Assert.Contains(Graphviz.Find() is null ? "'dot' is not on PATH" : "-o FILE", stderr, StringComparison.Ordinal);
        Assert.Equal(2, Cli("compile", path, "--emit", "jpeg").Code);
        Assert.Equal(2, Cli("compile", path, "--graph", "nope").Code);
        Assert.Equal(2, Cli("compile", Path.Combine(Dir, "absent.csx")).Code);
        Assert.Equal(2, Cli("compile", Write("model.csx", TracedScript), "--skip=frobnicate").Code);
    }

    [Fact]
    public void HelpListsOptAndCompile()
    {
        var (code, stdout, _) = Cli("--help");
        Assert.Equal(0, code);
        Assert.Contains("opt", stdout, StringComparison.Ordinal);
        Assert.Contains("compile", stdout, StringComparison.Ordinal);
        var (_, compileHelp, _) = Cli("compile", "--help");
        foreach (var flag in new[] { "--emit", "--print-ir-after-all", "--print-ir-after-change", "--dump-dir", "--verify-each", "--stats", "--stop-after", "--skip", "--sanitize", "-o" })
        {
            Assert.Contains(flag, compileHelp, StringComparison.Ordinal);
        }
    }
}
