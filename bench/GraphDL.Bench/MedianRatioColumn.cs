using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace GraphDL.Bench;

/// <summary>
/// This case's median time over its baseline's median (BenchmarkDotNet's own Ratio column divides means). Above 1:
/// slower than the baseline, by that factor.
/// </summary>
public sealed class MedianRatioColumn : IColumn
{
    public string Id => nameof(MedianRatioColumn);

    public string ColumnName => "Median ratio";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Baseline;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Median time of this case / median time of the baseline (above 1: the baseline is that many times faster)";

    /// <summary>The ratio, or null when the case or its baseline has no result or there is no baseline.</summary>
    public static double? Ratio(Summary summary, BenchmarkCase benchmark)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmark));
        var median = summary[benchmark]?.ResultStatistics?.Median;
        var baselineMedian = baseline is null ? null : summary[baseline]?.ResultStatistics?.Median;
        return median is { } m && baselineMedian is { } b && b > 0 ? m / b : null;
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        => Ratio(summary, benchmarkCase) is { } value ? value.ToString("F2") : "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(summary.IsBaseline);
}
