using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.Runtime;
using GraphDL.Tests.Nn;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Whole training steps (forward, backward, optimizer update, simplification pipeline) built three times from the same
/// initial parameters — on the reference interpreter, compiled fused and compiled unfused — and run for three steps on
/// the same batches: every loss and every parameter afterwards must be bit-identical across the three. In the
/// init-stream collection, since <see cref="Init.ManualSeed"/> and module construction share a global stream.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class TrainingEquivalenceTests
{
    private const int Steps = 3;

    private static IBackend[] Backends() => [ReferenceBackend.Instance, new CpuBackend(fuse: true, exact: true), new CpuBackend(fuse: false, exact: true)];

    /// <summary>Seeded batches: x standard normal of <paramref name="xShape"/>, y class indices below <paramref name="classes"/>.</summary>
    private static (HostTensor X, HostTensor Y)[] Batches(int seed, int[] xShape, int classes)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Steps).Select(_ =>
        {
            var x = HostTensor.Random(new TensorType(DType.F32, new Shape(xShape)), random);
            var y = HostTensor.FromInt64s(DType.I64, new Shape(xShape[0]), Enumerable.Range(0, xShape[0]).Select(_ => (long)random.Next(classes)).ToArray());
            return (x, y);
        }).ToArray();
    }

    /// <summary>
    /// Trains a fresh model (built by <paramref name="model"/> right after <c>Init.ManualSeed(seed)</c>) on each backend and
    /// asserts the three runs agree bit for bit, step by step.
    /// </summary>
    private static void AssertBackendsAgree(Func<Module> model, Func<Optimizer> optimizer, (HostTensor X, HostTensor Y)[] batches, long seed)
    {
        var runs = new List<(string Backend, float[] Losses, IReadOnlyDictionary<string, HostTensor> Initial, IReadOnlyDictionary<string, HostTensor> Final)>();
        foreach (var backend in Backends())
        {
            Init.ManualSeed(seed);
            var m = model();
            var initial = m.StateDict();
            using var step = Compiler.TrainStep(m, (module, x, y) => F.CrossEntropy(module.Forward(x), y), optimizer(), batches[0].X, batches[0].Y,
                new CompileOptions { Backend = backend });
            var losses = batches.Select(b => step.Run(b.X, b.Y)).ToArray();
            runs.Add((backend.Name, losses, initial, m.StateDict()));
        }
        var reference = runs[0];
        Assert.All(reference.Losses, loss => Assert.True(float.IsFinite(loss), $"reference loss {loss}"));
        Assert.True(reference.Losses[^1] != reference.Losses[0], "the loss did not change: nothing was trained");
        foreach (var run in runs.Skip(1))
        {
            Assert.Equal(reference.Initial.Keys, run.Initial.Keys);
            Assert.All(reference.Initial, kv => Assert.True(kv.Value.BitEquals(run.Initial[kv.Key]), $"{run.Backend}: initial {kv.Key} differs (the init stream)"));
            for (int s = 0; s < Steps; s++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(run.Losses[s]) == BitConverter.SingleToInt32Bits(reference.Losses[s]),
                    $"{run.Backend}: loss of step {s} is {run.Losses[s]:R}, the interpreter gives {reference.Losses[s]:R}");
            }
            foreach (var (name, expected) in reference.Final)
            {
                Assert.True(run.Final[name].BitEquals(expected),
                    $"{run.Backend}: {name} after {Steps} steps differs: {BackendDiff.FirstDifference(run.Final[name], expected)}");
            }
        }
    }

    [Fact]
    public void MlpWithCrossEntropyAndAdamTrainsIdenticallyOnEveryBackend() =>
        AssertBackendsAgree(
            () => new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4)),
            () => new Adam(1e-2),
            Batches(seed: 11, xShape: [5, 8], classes: 4),
            seed: 5);

    [Fact]
    public void CnnWithSgdTrainsIdenticallyOnEveryBackend() =>
        AssertBackendsAgree(
            () => new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 3 * 3, 3)),
            () => new Sgd(0.1, momentum: 0.9),
            Batches(seed: 12, xShape: [3, 1, 8, 8], classes: 3),
            seed: 6);

    /// <summary>The upsampling and normalization layers: transposed conv, instance norm with running statistics, PReLU, a residual conv, group norm, adaptive pooling.</summary>
    [Fact]
    public void DecoderLayersTrainIdenticallyOnEveryBackend() =>
        AssertBackendsAgree(
            () => new Sequential(new ConvTranspose2d(2, 3, 3, stride: 2, padding: 1, outputPadding: 1), new InstanceNorm2d(3, affine: true, trackRunningStats: true),
                new PReLU(3), new Residual(new Conv2d(3, 3, 3, padding: 1)), new GroupNorm(1, 3), new AdaptiveAvgPool2d((3, 2)), new Flatten(), new Linear(18, 4)),
            () => new Adam(1e-2),
            Batches(seed: 13, xShape: [3, 2, 3, 3], classes: 4),
            seed: 7);

    /// <summary>A 1-D convolution with SELU and RReLU (whose training slopes come from the step's random stream).</summary>
    [Fact]
    public void Conv1dWithSeluAndRReluTrainsIdenticallyOnEveryBackend() =>
        AssertBackendsAgree(
            () => new Sequential(new Conv1d(2, 4, 3, stride: 2, padding: 1), new SELU(), new Conv1d(4, 4, 2, dilation: 2, groups: 2), new RReLU(),
                new Flatten(), new Linear(4 * 3, 3)),
            () => new Sgd(0.1, momentum: 0.9),
            Batches(seed: 14, xShape: [3, 2, 10], classes: 3),
            seed: 8);
}
