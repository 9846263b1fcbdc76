using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GraphDL.Bench;

// Run the selected benchmarks, then set each GEMM beside the FMA peak measured in the same run: with as many threads,
// and as many times the 1-thread peak (steadier on a shared machine, where another process may hold the second core).
if (args is ["--cold-process", var cacheMode])
{
    CompileTimeBreakdown.ColdProcess(cacheMode);
    return;
}
if (args is ["--compile-times", .. var only])
{
    CompileTimes.Print(only is [var filter] ? filter : null);
    return;
}
if (args is ["--compile-breakdown", ..])
{
    CompileTimeBreakdown.Print(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15, args.Length > 2 ? args[2] : null);
    return;
}
var summaries = BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
var cases = summaries.SelectMany(s => s.BenchmarksCases.Select(c => (Summary: s, Case: c))).ToList();
double? Peak(int threads) => cases
    .Where(x => x.Case.Descriptor.Type == typeof(GemmFmaPeakBenchmarks) && (int)x.Case.Parameters["Threads"] == threads)
    .Select(x => GflopsColumn.Gflops(x.Summary, x.Case))
    .FirstOrDefault(g => g is not null);

var gemms = cases.Where(x => x.Case.Descriptor.Type == typeof(GemmBenchmarks)).ToList();
if (gemms.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("| shape | threads | median | GFLOP/s | % of FMA peak, same threads | % of threads × 1-thread peak |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var (summary, benchmark) in gemms)
    {
        int threads = (int)benchmark.Parameters["Threads"];
        var median = summary[benchmark]?.ResultStatistics?.Median;
        var gflops = GflopsColumn.Gflops(summary, benchmark);
        Console.WriteLine($"| {benchmark.Parameters["Shape"]} | {threads} | {Time(median)} | {gflops:F1} | " +
            $"{Percent(gflops, Peak(threads))} | {Percent(gflops, threads * Peak(1))} |");
    }
}

static string Percent(double? part, double? whole)
    => part is { } p && whole is { } w ? $"{100 * p / w:F0}% of {w:F1}" : "-";

static string Time(double? nanoseconds) => nanoseconds switch
{
    null => "-",
    >= 1e6 => $"{nanoseconds / 1e6:F2} ms",
    _ => $"{nanoseconds / 1e3:F1} µs",
};
