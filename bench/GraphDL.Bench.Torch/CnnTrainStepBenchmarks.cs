using TorchSharp;

namespace GraphDL.Bench.Torch;

/// <summary>
/// A small MNIST CNN at batch 64, trained with plain SGD (lr 0.01): conv 1→32 3×3, ReLU, max-pool 2, conv 32→64 3×3,
/// ReLU, max-pool 2, flatten (64·5·5 = 1600), linear 1600→10, cross-entropy.
/// </summary>
public class CnnTrainStepBenchmarks : TrainStepBenchmarks
{
    private const int Side = 28, Flattened = 64 * 5 * 5;

    protected override int BatchSize => 64;

    protected override int[] SampleShape => [1, Side, Side];

    protected override Module CreateModel() => new Sequential(
        new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(Flattened, Classes));

    protected override Optimizer CreateOptimizer() => new Sgd(0.01);

    protected override torch.nn.Module<torch.Tensor, torch.Tensor> CreateTorchModel() => torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(Flattened, Classes));

    protected override torch.optim.Optimizer CreateTorchOptimizer(IEnumerable<TorchSharp.Modules.Parameter> parameters) =>
        torch.optim.SGD(parameters, 0.01);
}
