using BenchmarkDotNet.Attributes;
using GraphDL.IR;
using GraphDL.Runtime;
using TorchSharp;

namespace GraphDL.Bench.Torch;

/// <summary>C = A·B, f32, 1024×1024×1024, 2 threads (GraphDL's GEMM uses <see cref="Environment.ProcessorCount"/>
/// workers, held to 2 by the config; libtorch by <c>set_num_threads(2)</c>).</summary>
public class MatMulBenchmarks
{
    private const int N = 1024;

    private InferenceFunction? _graphdl;
    private HostTensor? _a;
    private torch.Tensor? _torchA, _torchB;

    [GlobalSetup(Target = nameof(GraphDLFused))]
    public void SetupFused() => SetupGraphDL(Backend.Cpu);

    [GlobalSetup(Target = nameof(GraphDLUnfused))]
    public void SetupUnfused() => SetupGraphDL(Backend.CpuUnfused);

    [GlobalSetup(Target = nameof(TorchSharpEager))]
    public void SetupTorch()
    {
        TorchRuntime.Initialize();
        _torchA = BenchData.TorchTensor(BenchData.Uniform(N * N, seed: 2), N, N);
        _torchB = BenchData.TorchTensor(BenchData.Uniform(N * N, seed: 3), N, N);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _graphdl?.Dispose();
        _torchA?.Dispose();
        _torchB?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public HostTensor GraphDLFused() => _graphdl!.Run(_a!);

    [Benchmark]
    public HostTensor GraphDLUnfused() => _graphdl!.Run(_a!);

    [Benchmark]
    public void TorchSharpEager()
    {
        using var scope = torch.NewDisposeScope();
        _ = torch.matmul(_torchA!, _torchB!);
    }

    private void SetupGraphDL(IBackend backend)
    {
        _a = BenchData.GraphDLTensor(BenchData.Uniform(N * N, seed: 2), N, N);
        var b = BenchData.GraphDLTensor(BenchData.Uniform(N * N, seed: 3), N, N);
        _graphdl = Compiler.Inference(new TimesConstant(b), _a, new CompileOptions { Backend = backend });
    }

    /// <summary>x·B with B held as the module's parameter.</summary>
    private sealed class TimesConstant : Module
    {
        private readonly Tensor _b;

        public TimesConstant(HostTensor b) => _b = AddParameter("b", b);

        public override Tensor Forward(Tensor x) => x.MatMul(_b);
    }
}
