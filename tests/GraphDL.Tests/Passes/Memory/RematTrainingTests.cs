using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;
using GraphDL.Tests.Codegen;
using GraphDL.Tests.Nn;
using Xunit.Abstractions;

namespace GraphDL.Tests.Passes.Memory;

/// <summary>
/// Training steps compiled with remat <c>none</c>, <c>sqrt</c>, a budget and <c>F.Checkpoint</c> regions, from the same
/// initial parameters and batches: the losses and the parameters after two steps must be bit-identical to the
/// <c>none</c> run on the same backend and, on the bit-exact backends, to the interpreter's <c>none</c> run
/// (recomputation repeats the same ops on the same operands, dropout masks included), while fewer activation bytes
/// are saved for the backward.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class RematTrainingTests(ITestOutputHelper output)
{
    private const int Steps = 2;

    /// <summary>A way to build the step: the policy, and whether the loss wraps blocks of layers in F.Checkpoint.</summary>
    private sealed record Variant(string Name, RematPolicy Policy, int CheckpointEvery = 0);

    private sealed record Run(float[] Losses, IReadOnlyDictionary<string, HostTensor> Final, Graph Graph);

    private static IBackend[] Backends() => [ReferenceBackend.Instance, new CpuBackend(exact: true), new CpuBackend()];

    private static (HostTensor X, HostTensor Y)[] Batches(int seed, int batch, int features, int classes)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Steps).Select(_ => (
            HostTensor.Random(new TensorType(DType.F32, new Shape(batch, features)), random),
            HostTensor.FromInt64s(DType.I64, new Shape(batch), Enumerable.Range(0, batch).Select(_ => (long)random.Next(classes)).ToArray()))).ToArray();
    }

    /// <summary>The layers, applied in blocks of <paramref name="every"/> under F.Checkpoint when it is positive.</summary>
    private static Tensor Forward(Sequential model, Tensor x, int every)
    {
        if (every <= 0)
        {
            return model.Forward(x);
        }
        var h = x;
        for (int start = 0; start < model.Layers.Count; start += every)
        {
            var block = model.Layers.Skip(start).Take(every).ToArray();
            h = F.Checkpoint(t => block.Aggregate(t, (a, layer) => layer.Forward(a)), h);
        }
        return h;
    }

    /// <summary>Cross entropy.</summary>
    private static Tensor CrossEntropy(Sequential model, Tensor x, Tensor y, int every) => F.CrossEntropy(Forward(model, x, every), y);

    /// <summary>
    /// Cross entropy plus a gradient penalty ‖∂CE/∂W₀‖² (as in WGAN-GP): training it differentiates a gradient, so the
    /// joint graph holds a second-order gradient.
    /// </summary>
    private static Tensor GradientPenalty(Sequential model, Tensor x, Tensor y, int every)
    {
        var loss = CrossEntropy(model, x, y, every);
        var weight = ((Linear)model.Layers[0]).Weight;
        var grad = GraphDL.Autodiff.Grad(loss, [weight])[0];
        return loss + (grad * grad).Sum() * 0.1;
    }

    private static Run Train(Func<Sequential> build, Func<Sequential, Tensor, Tensor, int, Tensor> loss, IBackend backend, Variant variant,
        (HostTensor X, HostTensor Y)[] batches)
    {
        Init.ManualSeed(3);
        var model = build();
        using var step = Compiler.TrainStep(model, (m, x, y) => loss(m, x, y, variant.CheckpointEvery), new Sgd(0.1), batches[0].X, batches[0].Y,
            new CompileOptions { Backend = backend, Remat = variant.Policy, Seed = 7 });
        var losses = batches.Select(b => step.Run(b.X, b.Y)).ToArray();
        return new(losses, model.StateDict(), step.Graph);
    }

    private static void AssertSame(Run expected, Run actual, string what)
    {
        for (int s = 0; s < Steps; s++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(actual.Losses[s]) == BitConverter.SingleToInt32Bits(expected.Losses[s]),
                $"{what}: loss of step {s} is {actual.Losses[s]:R}, expected {expected.Losses[s]:R}");
        }
        foreach (var (name, value) in expected.Final)
        {
            Assert.True(actual.Final[name].BitEquals(value), $"{what}: {name} differs: {BackendDiff.FirstDifference(actual.Final[name], value)}");
        }
    }

    private void AssertVariantsAgree(Func<Sequential> build, Func<Sequential, Tensor, Tensor, int, Tensor> loss, (HostTensor X, HostTensor Y)[] batches,
        params Variant[] variants)
    {
        Run? interpreter = null;
        foreach (var backend in Backends())
        {
            var baseline = Train(build, loss, backend, new Variant("none", RematPolicy.None), batches);
            interpreter ??= baseline;
            Assert.All(baseline.Losses, l => Assert.True(float.IsFinite(l)));
            long noneBytes = RematAnalysis.Of(baseline.Graph).SavedBytes;
            foreach (var variant in variants)
            {
                var run = Train(build, loss, backend, variant, batches);
                long bytes = RematAnalysis.Of(run.Graph).SavedBytes;
                output.WriteLine($"{backend.Name,-10} {variant.Name,-10} saved activation bytes {bytes,6} (none: {noneBytes}), " +
                    $"estimated peak {Estimate(run.Graph, backend).LowerBoundBytes} (none: {Estimate(baseline.Graph, backend).LowerBoundBytes}), " +
                    $"nodes {run.Graph.Nodes.Count} (none: {baseline.Graph.Nodes.Count})");
                Assert.True(bytes < noneBytes, $"{variant.Name} saves {bytes} bytes, none {noneBytes}");
                AssertSame(baseline, run, $"{backend.Name} {variant.Name} vs none");
                if (backend is ReferenceBackend or CpuBackend { Exact: true })
                {
                    AssertSame(interpreter, run, $"{backend.Name} {variant.Name} vs the interpreter without remat");
                }
            }
        }
    }

    /// <summary>The memory plan the remat pass estimates for <paramref name="graph"/> on <paramref name="backend"/>'s kernels (as <c>Compiler</c> asks it to).</summary>
    private static MemoryPlan Estimate(Graph graph, IBackend backend) =>
        backend.EstimateMemory(graph) ?? MemoryEstimate.Of(graph);

    private static Sequential SmallMlpWithDropout() =>
        new(new Linear(12, 16), new ReLU(), new Dropout(0.3), new Linear(16, 16), new Tanh(), new Dropout(0.2), new Linear(16, 4));

    /// <summary>32 linear layers of width 8 with ReLU between them (trained at batch 64, so activations outweigh parameters).</summary>
    private static Sequential DeepMlp() =>
        new(Enumerable.Range(0, 32).SelectMany(i => i < 31 ? new Module[] { new Linear(8, 8), new ReLU() } : [new Linear(8, 3)]).ToArray());

    [Fact]
    public void MlpWithDropoutTrainsBitIdenticallyUnderEveryPolicy() =>
        AssertVariantsAgree(SmallMlpWithDropout, CrossEntropy, Batches(seed: 1, batch: 6, features: 12, classes: 4),
            new Variant("sqrt", RematPolicy.Sqrt),
            new Variant("checkpoint", RematPolicy.None, CheckpointEvery: 3));

    /// <summary>The estimated arena of the deep MLP's training step with no remat, the yardstick of the budgets.</summary>
    private static long DeepMlpArenaWithoutRemat((HostTensor X, HostTensor Y)[] batches) =>
        Estimate(Train(DeepMlp, CrossEntropy, ReferenceBackend.Instance, new Variant("none", RematPolicy.None), batches).Graph, ReferenceBackend.Instance).ArenaBytes;

    [Fact]
    public void DeepMlpTrainsBitIdenticallyUnderEveryPolicy()
    {
        var batches = Batches(seed: 2, batch: 64, features: 8, classes: 3);
        long nonePeak = DeepMlpArenaWithoutRemat(batches);
        AssertVariantsAgree(DeepMlp, CrossEntropy, batches,
            new Variant("sqrt", RematPolicy.Sqrt),
            new Variant("checkpoint", RematPolicy.None, CheckpointEvery: 8),
            new Variant("sqrt+ckpt", RematPolicy.Sqrt, CheckpointEvery: 8),
            new Variant("budget", RematPolicy.Budget(nonePeak * 9 / 10)));
    }

    [Fact]
    public void SecondOrderGradientTrainsBitIdenticallyUnderRemat() =>
        AssertVariantsAgree(() => new Sequential(new Linear(6, 8), new Tanh(), new Linear(8, 8), new Tanh(), new Linear(8, 3)), GradientPenalty,
            Batches(seed: 4, batch: 5, features: 6, classes: 3),
            new Variant("sqrt", RematPolicy.Sqrt),
            new Variant("checkpoint", RematPolicy.None, CheckpointEvery: 2));

    [Fact]
    public void BudgetRunsMeetTheirBudget()
    {
        var batches = Batches(seed: 2, batch: 64, features: 8, classes: 3);
        long nonePeak = DeepMlpArenaWithoutRemat(batches);
        foreach (var budget in new[] { nonePeak, nonePeak * 9 / 10, nonePeak * 8 / 10 })
        {
            var run = Train(DeepMlp, CrossEntropy, ReferenceBackend.Instance, new Variant("budget", RematPolicy.Budget(budget)), batches);
            long peak = Estimate(run.Graph, ReferenceBackend.Instance).ArenaBytes;
            output.WriteLine($"budget {budget}: estimated arena {peak} (none: {nonePeak})");
            Assert.True(peak <= budget, $"budget {budget}: the plan's estimated arena is {peak}");
        }
    }

    [Fact]
    public void AnUnreachableBudgetFailsNamingTheSmallestPeakAndItsLiveSet()
    {
        var batches = Batches(seed: 2, batch: 64, features: 8, classes: 3);
        var error = Assert.Throws<RematBudgetException>(() =>
            Train(DeepMlp, CrossEntropy, ReferenceBackend.Instance, new Variant("budget", RematPolicy.Budget(1024)), batches));
        output.WriteLine(error.Message.Split('\n')[0]);
        Assert.Equal(1024, error.BudgetBytes);
        Assert.True(error.SmallestPeakBytes > 1024);
        Assert.Equal(error.SmallestPeakBytes, error.LiveAtPeak.Sum(n => MemoryPlan.AlignUp(n.Type.SizeInBytes)));
        Assert.Contains($"the smallest achievable peak is {error.SmallestPeakBytes} bytes", error.Message);
        Assert.Contains("RematTrainingTests.cs:", error.Message);
    }

    [Fact]
    public void TheRecomputedValuesAreTheCopiesRematAdds()
    {
        var batches = Batches(seed: 2, batch: 64, features: 8, classes: 3);
        var none = Train(DeepMlp, CrossEntropy, ReferenceBackend.Instance, new Variant("none", RematPolicy.None), batches).Graph;
        var sqrt = Train(DeepMlp, CrossEntropy, ReferenceBackend.Instance, new Variant("sqrt", RematPolicy.Sqrt), batches).Graph;
        Assert.Empty(RematAnalysis.Of(none).Recomputed);
        var recomputed = RematAnalysis.Of(sqrt).Recomputed;
        output.WriteLine($"sqrt recomputes {recomputed.Count} values ({sqrt.Nodes.Count - none.Nodes.Count} nodes added)");
        Assert.Equal(sqrt.Nodes.Count - none.Nodes.Count, recomputed.Count);
        using var program = (CpuProgram)new CpuBackend().Compile(sqrt);
        Assert.Contains($"recomputed values: {recomputed.Count} (", program.Memory.Format());
    }
}
