using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace GraphDL.Bench;

/// <summary>
/// The settings every GraphDL benchmark project shares (bench/GraphDL.Bench.Torch links this file): a short job (the
/// machine is 2 shared cores: a few minutes in all), medians, and artifacts under bin/ so the working tree stays
/// clean. Where a class marks a baseline, BenchmarkDotNet's ratio columns appear with the median ratio beside them.
/// </summary>
public class BenchConfig : ManualConfig
{
    /// <summary>
    /// 1 launch, 3 warmup and 7 measured iterations, with non-concurrent GC as in the apps (Directory.Build.props says
    /// why), set here because BenchmarkDotNet's generated project does not read that file's setting.
    /// </summary>
    public static Job ShortJob { get; } = Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7).WithGcConcurrent(false).WithId("Short7");

    public BenchConfig()
        : this(ShortJob)
    {
    }

    protected BenchConfig(Job job)
    {
        AddJob(job);
        AddColumn(StatisticColumn.Median, new MedianRatioColumn());
        ArtifactsPath = Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts");
    }
}
