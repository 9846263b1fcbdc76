using GraphDL.IR;
using GraphDL.Runtime;
using GraphDL.Tests.OpInfo;

namespace GraphDL.Tests.Codegen;

/// <summary>The compiled CPU backend against the reference interpreter.</summary>
public class CpuBackendTests
{
    public static TheoryData<string> SampleIds() => OpInfoTests.SampleIds();

    /// <summary>
    /// Every valid OpInfo sample compiled (fused and unfused) gives exactly the interpreter's result in exact mode,
    /// and in the default fast mode is within 4 ulp elementwise (VectorMath is within 2) and, for sums, within the
    /// reassociation bound (n + 16)·2⁻²⁴·Σ|x|.
    /// </summary>
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
        foreach (var backend in new[] { new CpuBackend(fuse: true, exact: true), new CpuBackend(fuse: false, exact: true) })
        {
            using var program = backend.Compile(graph);
            var actual = program.Run(sample.Inputs)[0];
            Assert.True(actual.BitEquals(expected), $"{backend.Name}: {actual} vs {expected}");
        }
        double sumBound = sample.Op == "reduce_sum"
            ? (sample.Inputs[0].Type.ElementCount + 16) * Math.Pow(2, -24) * sample.Inputs[0].ToDoubleArray().Sum(Math.Abs)
            : 0;
        foreach (var backend in new[] { new CpuBackend(fuse: true), new CpuBackend(fuse: false) })
        {
            using var program = backend.Compile(graph);
            var actual = program.Run(sample.Inputs)[0];
            Assert.True(WithinFastTolerance(actual, expected, sumBound), $"{backend.Name}: {actual} vs {expected}");
        }
    }

    /// <summary>Equal bits, both NaN, or floats within 4 ulp of the expected value plus <paramref name="absolute"/>.</summary>
    internal static bool WithinFastTolerance(HostTensor actual, HostTensor expected, double absolute = 0)
    {
        if (actual.Type != expected.Type)
        {
            return false;
        }
        if (!expected.Type.DType.IsFloat() || actual.BitEquals(expected))
        {
            return actual.BitEquals(expected);
        }
        var (a, e) = (actual.ToDoubleArray(), expected.ToDoubleArray());
        double ulp = expected.Type.DType == DType.F32 ? Math.Pow(2, -23) : Math.Pow(2, -52);
        for (int i = 0; i < e.Length; i++)
        {
            bool ok = (double.IsNaN(a[i]) && double.IsNaN(e[i])) || a[i] == e[i]
                || Math.Abs(a[i] - e[i]) <= 4 * ulp * Math.Abs(e[i]) + absolute;
            if (!ok)
            {
                return false;
            }
        }
        return true;
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
        using var fused = (CpuProgram)new CpuBackend(fuse: true, exact: true).Compile(graph);
        using var unfused = (CpuProgram)new CpuBackend(fuse: false, exact: true).Compile(graph);
        Assert.True(fused.Run(inputs)[0].BitEquals(expected), "fused");
        Assert.True(unfused.Run(inputs)[0].BitEquals(expected), "unfused");
        Assert.True(fused.Kernels.Count < unfused.Kernels.Count, $"{fused.Kernels.Count} fused kernels vs {unfused.Kernels.Count}");
        // Fast mode: tanh is VectorMath's (1 ulp), everything else is exact; the other terms are O(1) in size.
        using var fast = new CpuBackend(fuse: true).Compile(graph);
        Assert.True(WithinFastTolerance(fast.Run(inputs)[0], expected, 1e-6), "fast");
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

/// <summary>The default backend (with the f32 GEMM) trains like the interpreter, within the GEMM's rounding.</summary>
[Collection(nameof(GraphDL.Tests.Nn.InitStreamCollection))]
public class GemmTrainingTests
{
    [Fact]
    public void DefaultBackendTracksTheInterpreterWithinGemmRounding()
    {
        var random = new Random(4);
        var x = HostTensor.Random(new TensorType(DType.F32, 16, 20), random);
        var y = HostTensor.FromInt64s(DType.I64, new Shape(16), Enumerable.Range(0, 16).Select(i => (long)(i % 5)).ToArray());
        float[] Losses(IBackend backend)
        {
            Init.ManualSeed(3);
            var model = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 5));
            using var step = Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Adam(1e-2), x, y,
                new CompileOptions { Backend = backend });
            return Enumerable.Range(0, 5).Select(_ => step.Run(x, y)).ToArray();
        }
        var expected = Losses(Backend.Reference);
        var actual = Losses(Backend.Cpu);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * Math.Abs(expected[i]) + 1e-6, $"step {i}: {actual[i]} vs {expected[i]}");
        }
        Assert.True(expected[^1] < expected[0]);
    }
}
