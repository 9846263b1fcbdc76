using BenchmarkDotNet.Attributes;
using GraphDL.IR;
using GraphDL.Runtime;
using TorchSharp;

namespace GraphDL.Bench.Torch;

/// <summary>Softmax over the rows of a [4096, 1024] f32 matrix.</summary>
public class SoftmaxBenchmarks
{
    private const int Rows = 4096, Columns = 1024;

    private InferenceFunction? _graphdl;
    private HostTensor? _x;
    private torch.Tensor? _torchX;

    [GlobalSetup(Target = nameof(GraphDLFused))]
    public void SetupFused() => SetupGraphDL(Backend.Cpu);

    [GlobalSetup(Target = nameof(GraphDLUnfused))]
    public void SetupUnfused() => SetupGraphDL(Backend.CpuUnfused);

    [GlobalSetup(Target = nameof(TorchSharpEager))]
    public void SetupTorch()
    {
        TorchRuntime.Initialize();
        _torchX = BenchData.TorchTensor(BenchData.Uniform(Rows * Columns, seed: 4), Rows, Columns);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _graphdl?.Dispose();
        _torchX?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public HostTensor GraphDLFused() => _graphdl!.Run(_x!);

    [Benchmark]
    public HostTensor GraphDLUnfused() => _graphdl!.Run(_x!);

    [Benchmark]
    public void TorchSharpEager()
    {
        using var scope = torch.NewDisposeScope();
        _ = torch.nn.functional.softmax(_torchX!, 1);
    }

    private void SetupGraphDL(IBackend backend)
    {
        _x = BenchData.GraphDLTensor(BenchData.Uniform(Rows * Columns, seed: 4), Rows, Columns);
        _graphdl = Compiler.Inference(new RowSoftmax(), _x, new CompileOptions { Backend = backend });
    }

    private sealed class RowSoftmax : Module
    {
        public override Tensor Forward(Tensor x) => F.Softmax(x, axis: 1);
    }
}
