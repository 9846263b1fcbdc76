using BenchmarkDotNet.Jobs;
using GraphDL.Bench;

namespace GraphDL.Bench.Torch;

/// <summary>
/// The shared settings, with every library held to 2 threads whatever the machine: libtorch through
/// <c>torch.set_num_threads(2)</c> (and OMP_NUM_THREADS for its OpenMP pool), GraphDL's parallel kernels and GEMM
/// through DOTNET_PROCESSOR_COUNT, which they read as <see cref="Environment.ProcessorCount"/>. Adds GB/s for the
/// elementwise chain and its copy baseline.
/// </summary>
public sealed class TorchBenchConfig : BenchConfig
{
    public const int Threads = 2;

    public TorchBenchConfig()
        : base(ShortJob
            .WithEnvironmentVariable("DOTNET_PROCESSOR_COUNT", $"{Threads}")
            .WithEnvironmentVariable("OMP_NUM_THREADS", $"{Threads}"))
        => AddColumn(new BandwidthColumn());
}
