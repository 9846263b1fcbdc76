using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace GraphDL.Bench.Torch;

/// <summary>The MNIST MLP, 784-128-10 with ReLU, trained with Adam (lr 1e-3), at batch 64 and 512.</summary>
public class MlpTrainStepBenchmarks : TrainStepBenchmarks
{
    private const int Pixels = 784, Hidden = 128;

    [Params(64, 512)]
    public int Batch { get; set; } = 64;

    protected override int BatchSize => Batch;

    protected override int[] SampleShape => [Pixels];

    protected override Module CreateModel() => new Sequential(new Linear(Pixels, Hidden), new ReLU(), new Linear(Hidden, Classes));

    protected override Optimizer CreateOptimizer() => new Adam(1e-3);

    protected override torch.nn.Module<torch.Tensor, torch.Tensor> CreateTorchModel() =>
        torch.nn.Sequential(torch.nn.Linear(Pixels, Hidden), torch.nn.ReLU(), torch.nn.Linear(Hidden, Classes));

    protected override torch.optim.Optimizer CreateTorchOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters) =>
        torch.optim.Adam(parameters, lr: 1e-3);
}
