using GraphDL.IR;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;
using GraphDL.Tests.Nn;
using Xunit.Abstractions;

namespace GraphDL.Tests.Memory;

/// <summary>
/// The memory plans of compiled training steps (every <see cref="CpuProgram"/> also checks its own plan when built):
/// the arena stays within 10% of the most bytes live at one step, far below one buffer per value.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class ProgramMemoryPlanTests(ITestOutputHelper output)
{
    /// <summary>The training step graph of <paramref name="model"/> under cross-entropy, traced and optimized but not compiled.</summary>
    private static Graph StepGraph(Module model, Optimizer optimizer, TensorType xType)
    {
        var x = HostTensor.Zeros(xType);
        var y = HostTensor.Zeros(new TensorType(DType.I64, xType.Shape[0]));
        using var step = Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), optimizer, x, y,
            new CompileOptions { Backend = ReferenceBackend.Instance });
        return step.Graph;
    }

    private MemoryPlan Planned(string name, Graph graph)
    {
        using var program = (CpuProgram)CpuBackend.Instance.Compile(graph);
        var plan = program.Memory;
        MemoryPlanChecker.Check(plan);
        output.WriteLine($"{name}: arena {plan.ArenaBytes}  lower bound {plan.LowerBoundBytes}  no-reuse {plan.NoReuseBytes}  "
            + $"saved activations {plan.SavedActivationBytes}  ({plan.Heuristic}; arena/bound {(double)plan.ArenaBytes / plan.LowerBoundBytes:F3})");
        Assert.InRange(plan.ArenaBytes, plan.LowerBoundBytes, plan.LowerBoundBytes * 11 / 10);
        Assert.True(plan.ArenaBytes < plan.NoReuseBytes, "no buffer shares memory");
        Assert.True(plan.SavedActivationBytes > 0, "a training step keeps forward values for its backward part");
        return plan;
    }

    [Fact]
    public void MnistMlpStepArenaIsWithinTenPercentOfTheLowerBound()
    {
        Init.ManualSeed(0);
        var model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
        var plan = Planned("MnistMlp step", StepGraph(model, new Adam(1e-3), new TensorType(DType.F32, 64, 784)));
        // The first layer's activations (64×128 f32) are kept for the backward part.
        Assert.True(plan.SavedActivationBytes >= 64 * 128 * 4);
    }

    [Fact]
    public void MnistCnnStepArenaIsWithinTenPercentOfTheLowerBound()
    {
        Init.ManualSeed(0);
        var model = new Sequential(
            new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(1600, 10));
        Planned("MNIST CNN step", StepGraph(model, new Sgd(0.01), new TensorType(DType.F32, 64, 1, 28, 28)));
    }

    /// <summary>The deep model: 32 linear layers 1024 wide at batch 256, its 62 saved activations of 1 MiB each.</summary>
    [Fact]
    public void Deep1024WideMlpStepArenaIsWithinTenPercentOfTheLowerBound()
    {
        Init.ManualSeed(0);
        var model = new Sequential(Enumerable.Range(0, 32).SelectMany(i => i < 31 ? new Module[] { new Linear(1024, 1024), new ReLU() } : [new Linear(1024, 10)]).ToArray());
        var plan = Planned("32-layer 1024-wide MLP step", StepGraph(model, new Sgd(0.01), new TensorType(DType.F32, 256, 1024)));
        Assert.True(plan.SavedActivationBytes >= 62L * 256 * 1024 * 4);
    }
}
