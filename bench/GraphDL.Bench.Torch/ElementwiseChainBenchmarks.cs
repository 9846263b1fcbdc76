using BenchmarkDotNet.Attributes;
using GraphDL.IR;
using GraphDL.Runtime;
using TorchSharp;

namespace GraphDL.Bench.Torch;

/// <summary>
/// <c>y = relu(x·a + b)·c + tanh(x)</c> over 4M f32 (a, b, c scalars), and a STREAM-style copy of the same 4M floats
/// as the bandwidth yardstick. Fused, the chain is one pass that reads x and writes y: the copy's traffic exactly, so
/// the copy rows' median ratio is the fraction of copy bandwidth the fused kernel reaches. Unfused (GraphDL, one kernel
/// per primitive) and TorchSharp eager (one libtorch kernel per op) write and reread an intermediate per op.
/// </summary>
public class ElementwiseChainBenchmarks
{
    public const int Count = 4 << 20;

    /// <summary>The least a chain or a copy must move: x read once, y written once.</summary>
    public const double BytesPerInvocation = 2.0 * Count * sizeof(float);

    private const double A = 1.5, B = -0.25, C = 0.75;

    private float[] _data = [];
    private InferenceFunction? _graphdl;
    private HostTensor? _x;
    private torch.Tensor? _torchX;
    private TorchSharp.Scalar? _a, _b, _c;
    private float[] _copyDestination = [];

    [GlobalSetup(Target = nameof(GraphDLFused))]
    public void SetupFused() => SetupGraphDL(Backend.Cpu);

    [GlobalSetup(Target = nameof(GraphDLUnfused))]
    public void SetupUnfused() => SetupGraphDL(Backend.CpuUnfused);

    [GlobalSetup(Target = nameof(TorchSharpEager))]
    public void SetupTorch()
    {
        TorchRuntime.Initialize();
        _data = BenchData.Uniform(Count, seed: 1);
        _torchX = BenchData.TorchTensor(_data, Count);
        (_a, _b, _c) = (A.ToScalar(), B.ToScalar(), C.ToScalar());
    }

    [GlobalSetup(Targets = [nameof(StreamCopy1Thread), nameof(StreamCopy2Threads)])]
    public void SetupCopy()
    {
        _data = BenchData.Uniform(Count, seed: 1);
        _copyDestination = new float[Count];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _graphdl?.Dispose();
        _torchX?.Dispose();
        _a?.Dispose();
        _b?.Dispose();
        _c?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public HostTensor GraphDLFused() => _graphdl!.Run(_x!);

    [Benchmark]
    public HostTensor GraphDLUnfused() => _graphdl!.Run(_x!);

    [Benchmark]
    public void TorchSharpEager()
    {
        using var scope = torch.NewDisposeScope();
        var x = _torchX!;
        _ = torch.nn.functional.relu(x * _a! + _b!) * _c! + x.tanh();
    }

    [Benchmark]
    public void StreamCopy1Thread() => _data.AsSpan().CopyTo(_copyDestination);

    [Benchmark]
    public void StreamCopy2Threads()
    {
        const int Half = Count / 2;
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 },
            h => _data.AsSpan(h * Half, Half).CopyTo(_copyDestination.AsSpan(h * Half, Half)));
    }

    private void SetupGraphDL(IBackend backend)
    {
        _data = BenchData.Uniform(Count, seed: 1);
        _x = BenchData.GraphDLTensor(_data, Count);
        _graphdl = Compiler.Inference(new Chain(), _x, new CompileOptions { Backend = backend });
    }

    /// <summary>The chain as a GraphDL module, so it is compiled through the public facade as users compile models.</summary>
    private sealed class Chain : Module
    {
        public override Tensor Forward(Tensor x) => F.Relu(x * A + B) * C + F.Tanh(x);
    }
}
