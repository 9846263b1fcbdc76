using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace GraphDL.Bench;

/// <summary>
/// A short job (the machine is 2 shared cores: a few minutes in all), medians, a GFLOP/s column, and artifacts
/// under bin/ so the working tree stays clean.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7).WithId("Short7"));
        AddColumn(StatisticColumn.Median, new GflopsColumn());
        ArtifactsPath = Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts");
    }
}
