using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;
using GraphDL.Tests.Nn;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Batched matmuls and conv2d in compiled programs (the default backend, which runs them by the packed GEMM) against
/// the interpreter, within the GEMM's rounding: |ŷ − y| ≤ (k + 1)·2⁻²³·Σ|a||b|, where Σ|a||b| is the same graph run
/// by the interpreter on |inputs| (the graphs hold only products and movements, so that is exact).
/// </summary>
public class KernelStepTests
{
    /// <summary>Batch broadcasting patterns, in the op's NumPy semantics.</summary>
    [Theory]
    [InlineData(new[] { 3, 5, 7 }, new[] { 3, 7, 4 })]
    [InlineData(new[] { 3, 5, 7 }, new[] { 7, 4 })]
    [InlineData(new[] { 5, 7 }, new[] { 3, 7, 4 })]
    [InlineData(new[] { 2, 1, 5, 7 }, new[] { 3, 7, 4 })]
    [InlineData(new[] { 2, 3, 5, 7 }, new[] { 2, 1, 7, 4 })]
    [InlineData(new[] { 1, 4, 1, 3, 6 }, new[] { 2, 1, 5, 6, 9 })]
    [InlineData(new[] { 1, 1, 5, 7 }, new[] { 1, 7, 4 })]
    [InlineData(new[] { 8, 64, 96 }, new[] { 8, 96, 80 })]
    [InlineData(new[] { 6, 33, 40 }, new[] { 40, 70 })]
    [InlineData(new[] { 0, 5, 7 }, new[] { 7, 4 })]
    [InlineData(new[] { 3, 5, 0 }, new[] { 3, 0, 4 })]
    public void BatchedMatmulMatchesTheInterpreter(int[] a, int[] b)
    {
        var builder = new GraphBuilder("bmm");
        var x = builder.AddInput("a", new TensorType(DType.F32, a));
        var y = builder.AddInput("b", new TensorType(DType.F32, b));
        builder.Output(builder.Matmul(x, y));
        AssertCloseToInterpreter(builder.Build(), depth: a[^1]);
    }

    /// <summary>
    /// Operands that are permutes swapping the last two axes are read in place (the permute is then no step of its
    /// own), including a rank-2 transpose shared by a batch and a transpose that another node also needs.
    /// </summary>
    [Fact]
    public void TransposedOperandsAreReadInPlace()
    {
        var builder = new GraphBuilder("bmm_t");
        var x = builder.AddInput("x", new TensorType(DType.F32, 3, 7, 5));
        var y = builder.AddInput("y", new TensorType(DType.F32, 3, 4, 7));
        var w = builder.AddInput("w", new TensorType(DType.F32, 9, 4));
        var xt = builder.Permute(x, [0, 2, 1]);
        var yt = builder.Permute(y, [0, 2, 1]);
        builder.Output(builder.Matmul(xt, yt));
        builder.Output(builder.Matmul(builder.Permute(y, [0, 2, 1]), builder.Permute(w, [1, 0])));
        var graph = builder.Build();
        AssertCloseToInterpreter(graph, depth: 7);
        using var program = (CpuProgram)new CpuBackend(fuse: false).Compile(graph);
        Assert.Equal(2, program.Steps.Count);

        var shared = new GraphBuilder("bmm_t_shared");
        var s = shared.AddInput("s", new TensorType(DType.F32, 2, 6, 6));
        var st = shared.Permute(s, [0, 2, 1]);
        shared.Output(shared.Matmul(st, s));
        shared.Output(shared.Add(st, s));
        AssertCloseToInterpreter(shared.Build(), depth: 6);
    }

    /// <summary>A compiled conv2d (strided, padded, grouped), with its bias and ReLU around it, and both its VJPs.</summary>
    [Fact]
    public void ConvolutionAndItsGradientsMatchTheInterpreter()
    {
        var builder = new GraphBuilder("conv");
        var x = builder.AddInput("x", new TensorType(DType.F32, 3, 4, 11, 10));
        var w = builder.AddInput("w", new TensorType(DType.F32, 6, 2, 3, 3));
        var conv = builder.Conv2d(x, w, [2, 1], [1, 2, 0, 1], [1, 2], groups: 2);
        builder.Output(conv);
        var cotangent = builder.AddInput("ct", conv.Type);
        var gradients = GraphDL.IR.Ops.Conv2d.Instance.Vjp(builder, conv, cotangent);
        Assert.All(gradients, g => Assert.NotNull(g));
        foreach (var gradient in gradients)
        {
            builder.Output(gradient!);
        }
        AssertCloseToInterpreter(builder.Build(), depth: 3 * 3 * 2 * 6 * 4);
    }

    /// <summary>
    /// Runs <paramref name="graph"/> compiled (fused and unfused, default GEMM) and on the interpreter; each output
    /// must agree within the bound for dot products no deeper than <paramref name="depth"/>.
    /// </summary>
    internal static void AssertCloseToInterpreter(Graph graph, int depth)
    {
        var random = new Random(graph.Name.Length);
        var inputs = graph.Inputs.Select(i => HostTensor.Random(i.Type, random)).ToArray();
        var absolute = inputs.Select(t => HostTensor.FromDoubles(t.DType, t.Shape, t.ToDoubleArray().Select(Math.Abs).ToArray())).ToArray();
        var expected = ReferenceInterpreter.Run(graph, inputs);
        var magnitude = ReferenceInterpreter.Run(graph, absolute);
        double u2 = Math.ScaleB(1.0, -23);
        foreach (var backend in new[] { new CpuBackend(fuse: true), new CpuBackend(fuse: false) })
        {
            using var program = backend.Compile(graph);
            var actual = program.Run(inputs);
            for (int o = 0; o < expected.Count; o++)
            {
                Assert.Equal(expected[o].Type, actual[o].Type);
                double[] e = expected[o].ToDoubleArray(), a = actual[o].ToDoubleArray(), m = magnitude[o].ToDoubleArray();
                for (int i = 0; i < e.Length; i++)
                {
                    double bound = (depth + 1) * u2 * m[i];
                    Assert.True(Math.Abs(a[i] - e[i]) <= bound, $"{backend.Name}, output {o}[{i}]: {a[i]} vs {e[i]} ± {bound}");
                }
            }
        }
    }
}

/// <summary>
/// A CNN training step on the default backend (conv2d forward and backward through the packed GEMM) tracks the
/// interpreter within f32 rounding, step by step. In the init-stream collection: it builds models.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class CnnTrainingTests
{
    [Fact]
    public void DefaultBackendTrainsACnnLikeTheInterpreter()
    {
        var random = new Random(9);
        var x = HostTensor.Random(new TensorType(DType.F32, 6, 2, 12, 12), random);
        var y = HostTensor.FromInt64s(DType.I64, new Shape(6), Enumerable.Range(0, 6).Select(i => (long)(i % 4)).ToArray());
        (float[] Losses, IReadOnlyDictionary<string, HostTensor> Final) Train(IBackend backend)
        {
            Init.ManualSeed(8);
            var model = new Sequential(
                new GraphDL.Conv2d(2, 8, 3, padding: 1), new ReLU(), new MaxPool2d(2),
                new GraphDL.Conv2d(8, 8, 3, stride: 2, groups: 2), new ReLU(),
                new Flatten(), new Linear(8 * 2 * 2, 4));
            using var step = Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Sgd(0.05, momentum: 0.9), x, y,
                new CompileOptions { Backend = backend });
            return (Enumerable.Range(0, 4).Select(_ => step.Run(x, y)).ToArray(), model.StateDict());
        }
        var expected = Train(ReferenceBackend.Instance);
        var actual = Train(new CpuBackend());
        for (int i = 0; i < expected.Losses.Length; i++)
        {
            Assert.True(Math.Abs(actual.Losses[i] - expected.Losses[i]) <= 1e-4 * Math.Abs(expected.Losses[i]) + 1e-6,
                $"step {i}: {actual.Losses[i]} vs {expected.Losses[i]}");
        }
        Assert.True(expected.Losses[^1] < expected.Losses[0], "the loss did not fall");
        foreach (var (name, tensor) in expected.Final)
        {
            double[] e = tensor.ToDoubleArray(), a = actual.Final[name].ToDoubleArray();
            double scale = e.Max(Math.Abs);
            for (int i = 0; i < e.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - e[i]) <= 1e-4 * scale, $"{name}[{i}]: {a[i]} vs {e[i]}");
            }
        }
    }
}
