using System.Diagnostics;
using System.Text;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Passes.Memory;
using GraphDL.Passes.Visualization;
using GraphDL.Runtime;

namespace GraphDL.Cli;

/// <summary>
/// <c>graphdl bench MODEL --remat-sweep</c>: the memory / time trade-off of rematerialization. The training step is
/// compiled under <c>none</c>, <c>sqrt</c> and shrinking budgets, as <c>graphdl compile --remat=</c> would, each on the CPU backend;
/// the programs are timed round-robin (one run of each per round, the starting program rotating), so drift on a
/// shared machine hits all alike; a table gives each policy's arena and step time against <c>none</c>, and an SVG
/// draws step time over arena bytes.
/// </summary>
public static partial class CliApp
{
    /// <summary>Budgets always tried, as fractions of the <c>none</c> program's arena.</summary>
    private static readonly double[] SweepBudgets = [0.9, 0.75, 0.6, 0.45];

    /// <summary>Smaller budgets, tried in turn until the first one the remat pass cannot meet.</summary>
    private static readonly double[] SweepTightBudgets = [0.3, 0.2, 0.1, 0.05, 0.02];

    /// <summary>One policy of the sweep: its program, or the first line of the error that stopped its compilation.</summary>
    private sealed class SweepEntry(string label, RematPolicy policy) : IDisposable
    {
        public string Label { get; } = label;

        public RematPolicy Policy { get; } = policy;

        /// <summary>The graph compiled under <see cref="Policy"/> (the CPU backend's input).</summary>
        public Graph? Graph { get; set; }

        public IExecutable? Program { get; set; }

        public string? Failure { get; set; }

        public int ExitCode { get; set; } = Ok;

        public List<double> Times { get; } = [];

        public long Arena => Program!.Memory!.ArenaBytes;

        public long Saved => Program!.Memory!.SavedActivationBytes;

        public double Median
        {
            get
            {
                var sorted = Times.Order().ToArray();
                return sorted[sorted.Length / 2];
            }
        }

        public void Dispose() => Program?.Dispose();
    }

    private static int RematSweep(FileInfo path, string? graphName, int runs, int seed, FileInfo? svgPath, TextWriter stdout, TextWriter stderr)
    {
        var options = PassOptions.FromEnvironment();
        var entries = new List<SweepEntry>();
        try
        {
            var none = Compile(new SweepEntry("none", RematPolicy.None));
            if (none.Program is null)
            {
                return none.ExitCode;
            }
            if (none.Saved == 0)
            {
                return Fail(stderr, InputError, $"--remat-sweep: @{none.Graph!.Name} keeps no activations for a backward part "
                    + "(saved activation bytes: 0); the sweep needs a training step (a script ending in Compiler.TrainStep(...))");
            }
            Compile(new SweepEntry("sqrt", RematPolicy.Sqrt));
            foreach (var fraction in SweepBudgets)
            {
                Compile(Budget(fraction));
            }
            foreach (var fraction in SweepTightBudgets)
            {
                if (Compile(Budget(fraction)).Failure is not null)
                {
                    break;
                }
            }

            var compiled = entries.Where(e => e.Program is not null).ToArray();
            var inputs = RandomInputs.For(none.Graph!, seed);
            var inputTypes = none.Graph!.Inputs.Select(i => i.Type).ToArray();
            var feeds = compiled.Select(e => e.Graph!.Inputs.Select(i => i.Type).SequenceEqual(inputTypes)
                ? inputs : RandomInputs.For(e.Graph!, seed)).ToArray();
            stderr.WriteLine($"remat sweep: timing {compiled.Length} programs, {runs} interleaved round{(runs == 1 ? "" : "s")} after a warm-up run");
            for (int k = 0; k < compiled.Length; k++)
            {
                compiled[k].Program!.Run(feeds[k]);
            }
            for (int round = 0; round < runs; round++)
            {
                for (int j = 0; j < compiled.Length; j++)
                {
                    int k = (round + j) % compiled.Length;
                    long start = Stopwatch.GetTimestamp();
                    compiled[k].Program!.Run(feeds[k]);
                    compiled[k].Times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                }
            }

            WriteSweepTable(path, none, entries, runs, stdout);
            var target = svgPath?.FullName ?? Path.Combine(Environment.CurrentDirectory, Path.GetFileNameWithoutExtension(path.Name) + ".remat.svg");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                AtomicFile.Write(target, Encoding.UTF8.GetBytes(SweepChart(path, none, entries, runs).Render(900, 480)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(stderr, UsageError, $"cannot write {target}: {e.Message}");
            }
            stdout.WriteLine($"wrote the trade-off curve to {target}");
            return Ok;
        }
        finally
        {
            foreach (var entry in entries)
            {
                entry.Dispose();
            }
        }

        SweepEntry Budget(double fraction)
        {
            long bytes = Math.Max(1, (long)(entries[0].Arena * fraction));
            return new SweepEntry(Invariant($"budget {fraction * 100:0}%"), RematPolicy.Budget(bytes));
        }

        // Compiles one policy as `graphdl compile --remat=POLICY` would, then for the CPU backend. A failure is kept
        // with the first line of its error (the remat pass's "the memory budget of N bytes cannot be met; ...").
        SweepEntry Compile(SweepEntry entry)
        {
            entries.Add(entry);
            var errors = new StringWriter();
            long start = Stopwatch.GetTimestamp();
            int code = CompileInput(path, options, graphName, errors, out var graphs, entry.Policy);
            if (code == Ok && graphs.Count != 1)
            {
                errors.WriteLine($"graphdl: --remat-sweep times one graph and {path.Name} has {graphs.Count}; pick one with --graph NAME");
                code = UsageError;
            }
            if (entries.Count == 1)
            {
                stderr.Write(errors.ToString()); // none: its errors in full, or the script's warnings (once)
            }
            if (code != Ok)
            {
                entry.ExitCode = code;
                entry.Failure = errors.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.Length > 0) ?? $"exit code {code}";
                if (entries.Count > 1)
                {
                    stderr.WriteLine($"remat sweep [{entries.Count}] {entry.Label} ({entry.Policy}): failed: {entry.Failure}");
                }
                return entry;
            }
            entry.Graph = graphs[0];
            entry.Program = Backend.Cpu.Compile(graphs[0]);
            stderr.WriteLine(Invariant(
                $"remat sweep [{entries.Count}] {entry.Label} ({entry.Policy}): arena {HumanUnits.Bytes(entry.Arena)}, compiled in {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s"));
            return entry;
        }
    }

    private static void WriteSweepTable(FileInfo path, SweepEntry none, IReadOnlyList<SweepEntry> entries, int runs, TextWriter stdout)
    {
        stdout.WriteLine(Invariant($"remat sweep of @{none.Graph!.Name} ({path.Name}): median step time of {runs} interleaved run{(runs == 1 ? "" : "s")} per policy"));
        stdout.WriteLine("policy        budget       arena  fits  arena cut   saved act.  act. cut  +nodes   median step  vs none");
        foreach (var e in entries)
        {
            var budget = e.Policy.Kind == RematKind.Budget ? HumanUnits.Bytes(e.Policy.BudgetBytes) : "-";
            if (e.Program is null)
            {
                stdout.WriteLine(Invariant($"{e.Label,-12} {budget,8}  failed: {e.Failure}"));
                continue;
            }
            stdout.WriteLine(
                Invariant($"{e.Label,-12} {budget,8} {HumanUnits.Bytes(e.Arena),11} {Fits(e),5} {(double)none.Arena / e.Arena,9:F2}x {HumanUnits.Bytes(e.Saved),12} ")
                + Invariant($"{Ratio(none.Saved, e.Saved),8} {e.Graph!.Nodes.Count - none.Graph.Nodes.Count,7} {Time(e.Median),13} {100 * (e.Median / none.Median - 1),7:+0.0;-0.0;+0.0}%"));
        }
        stdout.WriteLine("budgets: fractions of none's arena; fits: the arena is within the budget; arena cut, act. cut: none's bytes over "
            + "this policy's; +nodes: graph nodes over none's (the recomputed copies)");
    }

    private static string Fits(SweepEntry entry) => entry.Policy.Kind != RematKind.Budget ? "-" : entry.Arena <= entry.Policy.BudgetBytes ? "yes" : "no";

    private static string Ratio(long baseline, long value) => value == 0 ? "-" : Invariant($"{(double)baseline / value:F2}x");

    private static SvgChart SweepChart(FileInfo path, SweepEntry none, IReadOnlyList<SweepEntry> entries, int runs)
    {
        var points = entries.Where(e => e.Program is not null).OrderBy(e => e.Arena).Select(e => new ChartPoint(e.Arena, e.Median, e.Label,
            Invariant($"{e.Label} ({e.Policy}): arena {HumanUnits.Bytes(e.Arena)}, saved activations {HumanUnits.Bytes(e.Saved)}, median step {Time(e.Median)}")))
            .ToArray();
        double spread = points.Max(p => p.X) / points.Min(p => p.X);
        return new SvgChart
        {
            Title = Invariant($"@{none.Graph!.Name} ({path.Name}): rematerialization trade-off, median of {runs} interleaved run{(runs == 1 ? "" : "s")}"),
            XLabel = "arena bytes (CPU program)",
            YLabel = "median step time",
            XUnit = AxisUnit.Bytes,
            YUnit = AxisUnit.Seconds,
            LogX = spread >= 10,
            Series = [new ChartSeries("step time per policy", points, "#1f6fb2", Line: true, Markers: true)],
            Notes = entries.Select(e => e.Program is null
                ? Shortened(Invariant($"{e.Label} ({HumanUnits.Bytes(e.Policy.BudgetBytes)}): failed: {e.Failure}"), 120)
                : Invariant($"{e.Label}: arena {HumanUnits.Bytes(e.Arena)} ({(double)none.Arena / e.Arena:F2}x cut), saved activations {HumanUnits.Bytes(e.Saved)}, median step {Time(e.Median)} ({100 * (e.Median / none.Median - 1):+0.0;-0.0;+0.0}%)"))
                .ToArray(),
        };
    }

    /// <summary>At most <paramref name="length"/> characters, the end replaced by "..." when cut (the table has the whole line).</summary>
    private static string Shortened(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";

    private static int Fail(TextWriter stderr, int code, string message)
    {
        stderr.WriteLine($"graphdl: {message}");
        return code;
    }
}
