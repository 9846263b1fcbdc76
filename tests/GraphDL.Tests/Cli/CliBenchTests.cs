using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Runtime;

namespace GraphDL.Tests.Cli;

/// <summary><c>graphdl compile --emit fusion|csharp</c> and <c>graphdl bench</c>: what the CPU backend builds and how fast it runs.</summary>
public sealed class CliBenchTests : CliFixture
{
    private const string Softmax = GraphDL.Tests.Passes.FusionGraphs.Softmax;

    [Fact]
    public void TheFusionReportShowsSoftmaxAsOneKernel()
    {
        var (code, stdout, stderr) = Cli("compile", Write("softmax.gir", Softmax), "--emit", "fusion");
        Assert.Equal((0, ""), (code, stderr));
        Assert.StartsWith("@softmax\nkernels: 1  nodes: 7  ", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("k0 = %6 div : f32[4,8]  fuses %0 reduce_max, %1 broadcast_in_dim, %2 sub, %3 exp, %4 reduce_sum", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGeneratedCodeIsOneMethodPerKernel()
    {
        var (code, stdout, _) = Cli("compile", Write("softmax.gir", Softmax), "--emit", "csharp");
        Assert.Equal(0, code);
        Assert.Single(stdout.Split("public static unsafe void k0(", StringSplitOptions.None).Skip(1));
        Assert.Contains("reduce_max : f32[4]", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchPrintsAKernelTableAndTheFusedToUnfusedRatio()
    {
        var (code, stdout, stderr) = Cli("bench", Write("softmax.gir", Softmax), "--compare-unfused", "-n", "3");
        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains("STREAM copy: ", stdout, StringComparison.Ordinal);
        Assert.Contains("@softmax: 7 nodes in 1 kernels", stdout, StringComparison.Ordinal);
        Assert.Matches(@"  0  kernel k0 .*%  reduce_max, broadcast_in_dim, sub, exp, reduce_sum, broadcast_in_dim, div\n", stdout.ReplaceLineEndings("\n"));
        Assert.Matches(@"whole program \(unfused, 7 kernels\): .*; fused is [0-9.]+x faster", stdout);
        Assert.Equal(2, Cli("bench", Write("softmax.gir", Softmax), "-n", "0").Code);
    }
}

/// <summary>The fuse pass: kernels as fused nodes in the IR, compiled back into exactly those kernels.</summary>
[Collection(nameof(GraphDL.Tests.Nn.InitStreamCollection))]
public sealed class FusePassTests
{
    private static Graph MlpTrainingStep()
    {
        var random = new Random(2);
        var x = HostTensor.Random(new TensorType(DType.F32, 16, 20), random);
        var y = HostTensor.FromInt64s(DType.I64, new Shape(16), Enumerable.Range(0, 16).Select(i => (long)(i % 10)).ToArray());
        Init.ManualSeed(3);
        var model = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 10));
        // Ten classes: random integer inputs fall in [0, 10).
        using var step = Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Adam(1e-2), x, y,
            new CompileOptions { Backend = Backend.Reference });
        return step.Graph;
    }

    [Fact]
    public void TheFusedTrainingStepPrintsParsesAndCompilesToTheSameKernels()
    {
        var graph = MlpTrainingStep();
        var backend = new CpuBackend(fuse: true, exact: true);
        var fused = backend.FusePass.Run(graph);
        int multiNodeKernels = backend.PlanFusion(graph).Kernels.Count(k => k.Members.Count > 1);
        Assert.Equal(multiNodeKernels, fused.Nodes.Count(n => n.Op.Name == "fused"));
        Assert.Equal(GirPrinter.Print(fused), GirPrinter.Print(GirParser.Parse(GirPrinter.Print(fused))));
        Assert.Contains("loc(", GirPrinter.Region(fused.Nodes.First(n => n.Op.Name == "fused").Attributes.Graph("body"), ""), StringComparison.Ordinal);

        var inputs = RandomInputs.For(graph, 5);
        var expected = ReferenceInterpreter.Run(graph, inputs);
        using var fromFused = (CpuProgram)backend.Compile(fused);
        using var direct = (CpuProgram)backend.Compile(graph);
        Assert.Equal(direct.Steps, fromFused.Steps);
        var actual = fromFused.Run(inputs);
        for (int o = 0; o < expected.Count; o++)
        {
            Assert.True(actual[o].BitEquals(expected[o]), $"output {o}: {actual[o]} vs {expected[o]}");
        }
        Assert.True(ReferenceInterpreter.Run(fused, inputs).Zip(expected).All(p => p.First.BitEquals(p.Second)));
    }
}
