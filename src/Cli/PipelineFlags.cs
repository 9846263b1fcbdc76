using System.CommandLine;
using GraphDL.Passes;

namespace GraphDL.Cli;

/// <summary>
/// The instrumentation flags shared by <c>opt</c> and <c>compile</c> (MLIR's <c>--mlir-print-ir-*</c>, XLA's dump
/// flags), turned into <see cref="PassOptions"/>. The GRAPHDL_* environment variables are read first; flags win.
/// </summary>
internal sealed class PipelineFlags
{
    public Option<string[]> PrintIrBefore { get; } = Names("--print-ir-before", "print the IR before these passes (names, or 'all')");
    public Option<bool> PrintIrBeforeAll { get; } = new("--print-ir-before-all") { Description = "print the IR before every pass" };
    public Option<string[]> PrintIrAfter { get; } = Names("--print-ir-after", "print the IR after these passes (names, or 'all')");
    public Option<bool> PrintIrAfterAll { get; } = new("--print-ir-after-all") { Description = "print the IR after every pass" };
    public Option<bool> PrintIrAfterChange { get; } = new("--print-ir-after-change")
    {
        Description = "print the IR after a pass only when it changed it (alone: after every pass that changes it)",
    };
    public Option<string?> DumpDir { get; } = new("--dump-dir") { Description = "write 00-input.gir, 01-PASS.gir + 01-PASS.diff, ... to this directory (one subdirectory per graph when there are several)" };
    public Option<bool> VerifyEach { get; } = new("--verify-each") { Description = "verify the graph after every pass; a failure names the pass and the offending node" };
    public Option<bool> Stats { get; } = new("--stats") { Description = "print per-pass wall time, node counts, ops by trait, flops and bytes" };
    public Option<string?> StopAfter { get; } = new("--stop-after") { Description = "stop the pipeline after this pass (bisection)" };
    public Option<string[]> Skip { get; } = Names("--skip", "skip these passes (bisection)");
    public Option<bool> Sanitize { get; } = new("--sanitize") { Description = "after each pass, run the graphs before and after on seeded random inputs (reference interpreter) and stop at the first pass that changes the outputs" };

    private static Option<string[]> Names(string name, string description) =>
        new(name) { Description = description + "; comma-separated or repeated", Arity = ArgumentArity.OneOrMore };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { PrintIrBefore, PrintIrBeforeAll, PrintIrAfter, PrintIrAfterAll, PrintIrAfterChange, DumpDir, VerifyEach, Stats, StopAfter, Skip, Sanitize })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options the flags ask for (over the environment's), logging to <paramref name="log"/>.</summary>
    public PassOptions Options(ParseResult result, TextWriter log, bool verifyEach = false)
    {
        var options = PassOptions.FromEnvironment();
        var before = Split(result.GetValue(PrintIrBefore));
        var after = Split(result.GetValue(PrintIrAfter));
        if (result.GetValue(PrintIrBeforeAll))
        {
            before.Add("all");
        }
        if (result.GetValue(PrintIrAfterAll))
        {
            after.Add("all");
        }
        bool onlyChanges = result.GetValue(PrintIrAfterChange);
        if (onlyChanges && after.Count == 0 && options.PrintIrAfter.Count == 0)
        {
            after.Add("all");
        }
        return options with
        {
            Log = log,
            PrintIrBefore = before.Count > 0 ? before : options.PrintIrBefore,
            PrintIrAfter = after.Count > 0 ? after : options.PrintIrAfter,
            PrintOnlyChanges = onlyChanges || options.PrintOnlyChanges,
            DumpDirectory = result.GetValue(DumpDir) is { Length: > 0 } dir ? dir : options.DumpDirectory,
            VerifyEach = verifyEach || result.GetValue(VerifyEach) || options.VerifyEach,
            Statistics = result.GetValue(Stats) || options.Statistics,
            StopAfter = result.GetValue(StopAfter) is { Length: > 0 } stop ? stop : options.StopAfter,
            Skip = Split(result.GetValue(Skip)),
            Sanitize = result.GetValue(Sanitize) || options.Sanitize,
        };
    }

    internal static HashSet<string> Split(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
}
