using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GraphDL.Bench;

/// <summary>GFLOP/s from the median time of one invocation.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Billions of flops per second at the median time (an FMA counts 2)";

    /// <summary>Flops of one invocation of a benchmark case, when it counts them.</summary>
    public static double? Flops(BenchmarkCase benchmark)
    {
        var type = benchmark.Descriptor.Type;
        if (type == typeof(GemmBenchmarks))
            return ((GemmShape)benchmark.Parameters["Shape"]).Flops;
        if (type == typeof(Conv2dBenchmarks))
            return ((ConvShape)benchmark.Parameters["Shape"]).Geometry.Flops;
        if (type == typeof(GemmFmaPeakBenchmarks))
            return GemmFmaPeakBenchmarks.FlopsPerInvocation((int)benchmark.Parameters["Threads"]);
        return null;
    }

    /// <summary>GFLOP/s of a measured case, or null.</summary>
    public static double? Gflops(Summary summary, BenchmarkCase benchmark)
    {
        var statistics = summary[benchmark]?.ResultStatistics;
        var flops = Flops(benchmark);
        return statistics is null || flops is null ? null : flops / statistics.Median;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        => Gflops(summary, benchmarkCase) is { } value ? value.ToString("F1") : "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
