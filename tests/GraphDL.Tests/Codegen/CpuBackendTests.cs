using GraphDL.IR;
using GraphDL.Runtime;
using GraphDL.Tests.OpInfo;

namespace GraphDL.Tests.Codegen;

/// <summary>The compiled CPU backend against the reference interpreter.</summary>
public class CpuBackendTests
{
    public static TheoryData<string> SampleIds() => OpInfoTests.SampleIds();

    /// <summary>Every valid OpInfo sample compiled (fused and unfused) gives exactly the interpreter's result.</summary>
    [Theory]
    [MemberData(nameof(SampleIds))]
    public void EveryOpInfoSampleMatchesTheInterpreter(string id)
    {
        var sample = OpInfoTests.AllSamples().Single(s => s.Id == id);
        if (sample.TypeError is not null || sample.RunError is not null)
        {
            return;
        }
        var builder = new GraphBuilder("sample");
        var inputs = sample.Inputs.Select((t, i) => (Value)builder.AddInput($"x{i}", t.Type)).ToArray();
        builder.Output(builder.Emit(OpRegistry.Find(sample.Op)!, inputs, AttributeMap.Of(sample.Attributes.ToArray())));
        var graph = builder.Build();
        var expected = ReferenceInterpreter.Run(graph, sample.Inputs)[0];
        foreach (var backend in new[] { new CpuBackend(fuse: true), new CpuBackend(fuse: false) })
        {
            using var program = backend.Compile(graph);
            var actual = program.Run(sample.Inputs)[0];
            Assert.True(actual.BitEquals(expected), $"{backend.Name}: {actual} vs {expected}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(1023)]
    [InlineData(4097)]
    public void FusedChainsWithBroadcastsMatchBitwiseAtAwkwardSizes(int n)
    {
        var graph = Trace.Function("chain", (x, a, b, c) => F.Relu(x * a + b) * c + x.Tanh() - (x / (a.Abs() + 1.0)).Sqrt().Maximum(x),
            TensorSpec.Input(DType.F32, 3, n), TensorSpec.Input(DType.F32, n), TensorSpec.Input(DType.F32, 3, 1), TensorSpec.Input(DType.F32));
        var inputs = RandomInputs.For(graph, n);
        var expected = ReferenceInterpreter.Run(graph, inputs)[0];
        using var fused = (CpuProgram)new CpuBackend(fuse: true).Compile(graph);
        using var unfused = (CpuProgram)new CpuBackend(fuse: false).Compile(graph);
        Assert.True(fused.Run(inputs)[0].BitEquals(expected), "fused");
        Assert.True(unfused.Run(inputs)[0].BitEquals(expected), "unfused");
        Assert.True(fused.Kernels.Count < unfused.Kernels.Count, $"{fused.Kernels.Count} fused kernels vs {unfused.Kernels.Count}");
    }

    [Fact]
    public void AnElementwiseChainIsOneKernel()
    {
        var graph = Trace.Function("one", (x, a, b, c) => F.Relu(x * a + b) * c + x.Tanh(),
            TensorSpec.Input(DType.F32, 1024), TensorSpec.Input(DType.F32, 1024), TensorSpec.Input(DType.F32, 1024), TensorSpec.Input(DType.F32, 1024));
        using var program = (CpuProgram)new CpuBackend().Compile(graph);
        Assert.Single(program.Kernels);
        var vectorizable = Trace.Function("vec", (x, a, b) => F.Relu(x * a + b).Sqrt(),
            TensorSpec.Input(DType.F32, 1024), TensorSpec.Input(DType.F32, 1024), TensorSpec.Input(DType.F32, 1024));
        using var simd = (CpuProgram)new CpuBackend().Compile(vectorizable);
        Assert.Single(simd.Kernels);
        Assert.Contains(".Load(b", simd.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgramsUnload()
    {
        WeakReference context = Compile();
        for (int i = 0; i < 10 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(context.IsAlive);

        static WeakReference Compile()
        {
            var program = GraphDL.Codegen.CSharp.CompiledProgram.Compile([("k0", "    public static unsafe void k0(nint* b) { }\n")], "tmp");
            var reference = program.Context;
            program.Dispose();
            return reference;
        }
    }
}
