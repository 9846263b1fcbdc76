using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Bench;

/// <summary>
/// The training step whose compile time the issue targets: examples/MnistMlp (784-128-10 ReLU MLP, cross-entropy,
/// Adam lr 1e-3, batch 64), compiled through the public facade exactly as the example does.
/// </summary>
public static class MnistMlpStep
{
    private static readonly HostTensor SampleX = HostTensor.Zeros(new TensorType(DType.F32, 64, 784));
    private static readonly HostTensor SampleY = HostTensor.Zeros(new TensorType(DType.I64, 64));

    /// <summary>A freshly initialised model (seeded, so every call builds the same graph).</summary>
    public static Sequential Model()
    {
        Init.ManualSeed(0);
        return new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
    }

    /// <summary>Compiles the training step of <paramref name="model"/> on <paramref name="backend"/> (the fused CPU backend by default).</summary>
    public static TrainStep<Sequential> Compile(Sequential model, IBackend? backend = null) =>
        Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Adam(1e-3), SampleX, SampleY,
            new CompileOptions { Backend = backend ?? Backend.Cpu });
}
