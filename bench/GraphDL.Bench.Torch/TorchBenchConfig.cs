using BenchmarkDotNet.Jobs;
using GraphDL.Bench;

namespace GraphDL.Bench.Torch;

/// <summary>
/// The shared settings, with every library held to 2 threads whatever the machine: libtorch through
/// <c>torch.set_num_threads(2)</c> (and OMP_NUM_THREADS for its OpenMP pool), GraphDL's parallel kernels and GEMM
/// through DOTNET_PROCESSOR_COUNT, which they read as <see cref="Environment.ProcessorCount"/>. Adds GB/s for the
/// elementwise chain and its copy baseline. Program.cs passes it to BenchmarkDotNet (the classes carry no [Config],
/// so that <c>--smoke</c> can replace the job rather than add one).
/// <para>BenchmarkDotNet builds a generated project that copies libLibTorchSharp.so from the package cache into its
/// own output; the job hands that build WeakGlibcxx.targets (see there and bench/README.md) so that copy is patched
/// too, and allows the build 10 minutes (it copies about 1.1 GB of libtorch).</para>
/// </summary>
public sealed class TorchBenchConfig : BenchConfig
{
    public const int Threads = 2;

    private TorchBenchConfig(Job job)
        : base(job
            .WithEnvironmentVariable("DOTNET_PROCESSOR_COUNT", $"{Threads}")
            .WithEnvironmentVariable("OMP_NUM_THREADS", $"{Threads}")
            .WithArguments([new MsBuildArgument($"/p:CustomAfterMicrosoftCommonTargets={WeakGlibcxxTargets()}")]))
    {
        AddColumn(new BandwidthColumn());
        WithBuildTimeout(TimeSpan.FromMinutes(10));
    }

    /// <summary>The measuring run: the shared short job (medians of 7 iterations).</summary>
    public static TorchBenchConfig Measure() => new(ShortJob);

    /// <summary>One cold invocation of each case: proves that libtorch loads and every benchmark runs; times mean nothing.</summary>
    public static TorchBenchConfig Smoke() => new(Job.Dry.WithId("Smoke"));

    /// <summary>WeakGlibcxx.targets beside the project file, found from the build output upwards.</summary>
    private static string WeakGlibcxxTargets()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var targets = Path.Combine(directory.FullName, "WeakGlibcxx.targets");
            if (File.Exists(targets) && File.Exists(Path.Combine(directory.FullName, "GraphDL.Bench.Torch.csproj")))
            {
                return targets;
            }
        }
        throw new FileNotFoundException($"WeakGlibcxx.targets not found above {AppContext.BaseDirectory}");
    }
}
