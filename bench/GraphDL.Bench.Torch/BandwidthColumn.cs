using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GraphDL.Bench.Torch;

/// <summary>
/// GB/s at the median time for the elementwise chain and its copy baseline: the bytes each must move at the least
/// (read x once, write y once), so the fused kernel and the copy are measured by the same yardstick.
/// </summary>
public sealed class BandwidthColumn : IColumn
{
    public string Id => nameof(BandwidthColumn);

    public string ColumnName => "GB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Bytes that must be moved (read x, write y) / median time, in 10^9 bytes per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        return benchmarkCase.Descriptor.Type == typeof(ElementwiseChainBenchmarks) && median is { } nanoseconds
            ? (ElementwiseChainBenchmarks.BytesPerInvocation / nanoseconds).ToString("F1")
            : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary)
        => summary.BenchmarksCases.Any(c => c.Descriptor.Type == typeof(ElementwiseChainBenchmarks));
}
