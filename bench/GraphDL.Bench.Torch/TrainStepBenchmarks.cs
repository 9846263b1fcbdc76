using BenchmarkDotNet.Attributes;
using GraphDL.IR;
using GraphDL.Runtime;
using TorchSharp;

namespace GraphDL.Bench.Torch;

/// <summary>
/// One training step of a 10-class classifier (forward, cross-entropy, backward, optimizer update) in each library:
/// GraphDL's <c>Compiler.TrainStep</c> (one compiled graph) and TorchSharp eager
/// (<c>zero_grad</c>, forward, <c>backward</c>, <c>step</c>). Both start from the same weights (GraphDL's
/// initialisation copied into the torch model) and train on the same batch; both return the loss as a float.
/// </summary>
public abstract class TrainStepBenchmarks
{
    protected const int Classes = 10;

    private TrainStep<Module>? _step;
    private HostTensor? _x, _y;
    private torch.nn.Module<torch.Tensor, torch.Tensor>? _torchModel;
    private torch.optim.Optimizer? _torchOptimizer;
    private torch.Tensor? _torchX, _torchY;

    /// <summary>Samples per step.</summary>
    protected abstract int BatchSize { get; }

    /// <summary>The shape of one sample (the batch axis goes in front).</summary>
    protected abstract int[] SampleShape { get; }

    protected abstract Module CreateModel();

    protected abstract Optimizer CreateOptimizer();

    /// <summary>The same layers as <see cref="CreateModel"/>, parameters in the same order and shapes.</summary>
    protected abstract torch.nn.Module<torch.Tensor, torch.Tensor> CreateTorchModel();

    /// <summary>The same update rule and hyperparameters as <see cref="CreateOptimizer"/>.</summary>
    protected abstract torch.optim.Optimizer CreateTorchOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters);

    [GlobalSetup(Target = nameof(GraphDLFused))]
    public void SetupFused() => SetupGraphDL(Backend.Cpu);

    [GlobalSetup(Target = nameof(GraphDLUnfused))]
    public void SetupUnfused() => SetupGraphDL(Backend.CpuUnfused);

    [GlobalSetup(Target = nameof(TorchSharpEager))]
    public void SetupTorch()
    {
        TorchRuntime.Initialize();
        var (model, x, y) = CreateData();
        _torchModel = CreateTorchModel();
        TorchRuntime.CopyParameters(model, _torchModel);
        _torchOptimizer = CreateTorchOptimizer(_torchModel.parameters());
        _torchX = BenchData.TorchTensor(x, [BatchSize, .. SampleShape.Select(d => (long)d)]);
        _torchY = BenchData.TorchTensor(y, BatchSize);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _step?.Dispose();
        _torchX?.Dispose();
        _torchY?.Dispose();
        _torchOptimizer?.Dispose();
        _torchModel?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float GraphDLFused() => _step!.Run(_x!, _y!);

    [Benchmark]
    public float GraphDLUnfused() => _step!.Run(_x!, _y!);

    [Benchmark]
    public float TorchSharpEager()
    {
        using var scope = torch.NewDisposeScope();
        _torchOptimizer!.zero_grad();
        var loss = torch.nn.functional.cross_entropy(_torchModel!.forward(_torchX!), _torchY!);
        loss.backward();
        _torchOptimizer.step();
        return loss.item<float>();
    }

    private void SetupGraphDL(IBackend backend)
    {
        var (model, x, y) = CreateData();
        _x = BenchData.GraphDLTensor(x, [BatchSize, .. SampleShape]);
        _y = BenchData.GraphDLTensor(y, BatchSize);
        _step = Compiler.TrainStep(model, (m, input, target) => F.CrossEntropy(m.Forward(input), target), CreateOptimizer(),
            _x, _y, new CompileOptions { Backend = backend });
    }

    /// <summary>The model with GraphDL's seeded initialisation, a batch of inputs in [-1, 1) and its labels.</summary>
    private (Module Model, float[] X, long[] Y) CreateData()
    {
        Init.ManualSeed(0);
        var model = CreateModel();
        long sampleSize = SampleShape.Aggregate(1L, (size, d) => size * d);
        return (model, BenchData.Uniform(BatchSize * sampleSize, seed: 5), BenchData.Labels(BatchSize, Classes, seed: 6));
    }
}
