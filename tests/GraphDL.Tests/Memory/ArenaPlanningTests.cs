using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.Runtime;
using GraphDL.Tests.Codegen;
using GraphDL.Tests.Nn;
using Xunit.Abstractions;

namespace GraphDL.Tests.Memory;

/// <summary>
/// Compiled CPU programs serve their intermediates from one arena laid out by the memory plan, so values whose
/// lifetimes do not overlap share bytes. Planning must change no result: training steps run with planning on and off
/// (every value its own buffer) from the same parameters and batches give bit-identical losses and parameters, on
/// the fast and the bit-exact backend. Several steps run, so a kernel that read stale bytes left in the arena by
/// an earlier value or an earlier run would show.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class ArenaPlanningTests(ITestOutputHelper output)
{
    private const int Steps = 3;

    private sealed record Run(float[] Losses, IReadOnlyDictionary<string, HostTensor> Final, long BufferBytes);

    private static (HostTensor X, HostTensor Y)[] Batches(int seed, TensorType xType, int classes)
    {
        var random = new Random(seed);
        int batch = xType.Shape[0];
        return Enumerable.Range(0, Steps).Select(_ => (
            HostTensor.Random(xType, random),
            HostTensor.FromInt64s(DType.I64, new Shape(batch), Enumerable.Range(0, batch).Select(_ => (long)random.Next(classes)).ToArray()))).ToArray();
    }

    private static Run Train(Func<Sequential> build, Func<Optimizer> optimizer, CpuBackend backend, (HostTensor X, HostTensor Y)[] batches)
    {
        Init.ManualSeed(5);
        var model = build();
        using var step = Compiler.TrainStep(model, (m, x, y) => F.CrossEntropy(m.Forward(x), y), optimizer(), batches[0].X, batches[0].Y,
            new CompileOptions { Backend = backend, Seed = 11 });
        var losses = batches.Select(b => step.Run(b.X, b.Y)).ToArray();
        return new(losses, model.StateDict(), ((CpuProgram)step.Executable).BufferBytes);
    }

    private void AssertPlanningChangesNothing(string name, Func<Sequential> build, Func<Optimizer> optimizer, TensorType xType, int classes, bool exactToo = true)
    {
        var batches = Batches(seed: 1, xType, classes);
        foreach (bool exact in exactToo ? new[] { false, true } : [false])
        {
            var planned = Train(build, optimizer, new CpuBackend(exact: exact), batches);
            var unplanned = Train(build, optimizer, new CpuBackend(exact: exact, planMemory: false), batches);
            output.WriteLine($"{name}{(exact ? " (exact)" : "")}: buffers {planned.BufferBytes} bytes planned, {unplanned.BufferBytes} unplanned; "
                + $"losses {string.Join(", ", planned.Losses)}");
            Assert.All(planned.Losses, l => Assert.True(float.IsFinite(l)));
            for (int s = 0; s < Steps; s++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(planned.Losses[s]) == BitConverter.SingleToInt32Bits(unplanned.Losses[s]),
                    $"{name}: loss of step {s} is {planned.Losses[s]:R} planned, {unplanned.Losses[s]:R} unplanned");
            }
            foreach (var (parameter, value) in unplanned.Final)
            {
                Assert.True(planned.Final[parameter].BitEquals(value), $"{name}: {parameter} differs: {BackendDiff.FirstDifference(planned.Final[parameter], value)}");
            }
            Assert.True(planned.BufferBytes < unplanned.BufferBytes, $"{name}: the arena ({planned.BufferBytes} bytes) saves nothing over {unplanned.BufferBytes}");
        }
    }

    [Fact]
    public void LogisticRegressionStep() => AssertPlanningChangesNothing("logistic regression",
        () => new Sequential(new Linear(2, 2)), () => new Sgd(0.5), new TensorType(DType.F32, 32, 2), classes: 2);

    [Fact]
    public void SoftmaxRegressionStep() => AssertPlanningChangesNothing("softmax regression",
        () => new Sequential(new Flatten(), new Linear(784, 10)), () => new Sgd(0.1), new TensorType(DType.F32, 64, 1, 28, 28), classes: 10);

    [Fact]
    public void MnistMlpStep() => AssertPlanningChangesNothing("MnistMlp",
        () => new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10)), () => new Adam(1e-3), new TensorType(DType.F32, 64, 784), classes: 10);

    [Fact]
    public void MnistCnnStep() => AssertPlanningChangesNothing("MNIST CNN",
        () => new Sequential(
            new Conv2d(1, 8, 3), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(400, 10)),
        () => new Adam(1e-3), new TensorType(DType.F32, 16, 1, 28, 28), classes: 10);

    [Fact]
    public void MlpWithDropoutAndLayerNormStep() => AssertPlanningChangesNothing("dropout + layer norm",
        () => new Sequential(new Linear(24, 32), new LayerNorm(32), new Tanh(), new Dropout(0.25), new Linear(32, 5)),
        () => new AdamW(1e-3), new TensorType(DType.F32, 12, 24), classes: 5);

    /// <summary>The issue's deep model: 32 linear layers 1024 wide with ReLU between them, at batch 256 (fast mode only: exact matmuls are slow).</summary>
    [Fact]
    public void Deep1024WideMlpStep() => AssertPlanningChangesNothing("32-layer 1024-wide MLP",
        () => new Sequential(Enumerable.Range(0, 32).SelectMany(i => i < 31 ? new Module[] { new Linear(1024, 1024), new ReLU() } : [new Linear(1024, 10)]).ToArray()),
        () => new Sgd(0.01), new TensorType(DType.F32, 256, 1024), classes: 10, exactToo: false);
}
