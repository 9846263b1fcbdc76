using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphDL.Cli.Fuzzing;

namespace GraphDL.Cli;

/// <summary><c>graphdl fuzz</c>: differential fuzzing of the compiled CPU backend against the interpreter.</summary>
public static partial class CliApp
{
    private static Command Fuzz(TextWriter stdout, TextWriter stderr)
    {
        var graphs = new Option<int>("--graphs", "-n") { Description = "how many random graphs to run", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "which graphs: graph i of seed S is always the same graph on the same inputs", DefaultValueFactory = _ => 0 };
        var first = new Option<int>("--first")
        {
            Description = "index of the first graph: a long run of one seed split into parts (or resumed where one stopped) checks the same graphs",
            DefaultValueFactory = _ => 0,
        };
        var configs = new Option<string[]>("--config")
        {
            Description = "configurations to run, as words of their names (fused|unfused, exact|fast, planned|unplanned) joined by '-', "
                + "comma-separated or repeated: 'fast' is the four fast ones, 'fused-fast-planned' the default backend (default: all eight)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<DirectoryInfo>("--out") { Description = "where shrunk failures are written as .gir files", DefaultValueFactory = _ => new DirectoryInfo("fuzz-failures") };
        var jobs = new Option<int>("--jobs", "-j") { Description = "graphs checked at once (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("fuzz",
            "Run random graphs, each forward and backward (its VJP), compiled in every configuration of the CPU backend, against the "
            + "interpreter: bit-exact configurations must match bit for bit (NaN payloads aside), fast ones stay within the fast-mode "
            + "error model. Each failure is shrunk and written as a .gir regression test. Exits 1 on any mismatch.")
        {
            graphs, seed, first, configs, output, jobs,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(graphs) < 0 || result.GetValue(first) < 0 || result.GetValue(jobs) < 1
                || (long)result.GetValue(first) + result.GetValue(graphs) > int.MaxValue)
            {
                return Fail(stderr, "--graphs and --first must be at least 0 (together below 2^31) and --jobs at least 1");
            }
            IReadOnlyList<FuzzConfiguration> configurations;
            try
            {
                var patterns = result.GetValue(configs);
                configurations = patterns is { Length: > 0 } ? FuzzConfiguration.Select(patterns) : FuzzConfiguration.All;
            }
            catch (ArgumentException e)
            {
                return Fail(stderr, $"--config: {e.Message}");
            }
            var options = new FuzzOptions(result.GetValue(graphs), result.GetValue(seed), configurations, result.GetValue(output)!.FullName, result.GetValue(jobs),
                First: result.GetValue(first));
            var line = new ProgressLine(stderr, options.Graphs);
            FuzzReport report;
            try
            {
                report = Fuzzer.Run(options, line.Update, failure =>
                {
                    line.Clear();
                    stdout.WriteLine($"graph {failure.Index}: {failure.Original}");
                    int nodes = failure.Shrunk.Graph.Nodes.Count;
                    stdout.WriteLine($"  shrunk to {nodes} node{(nodes == 1 ? "" : "s")}: {failure.Path}");
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.All(i => i is InvalidOperationException))
            {
                line.Clear();
                stderr.WriteLine($"graphdl fuzz: internal error in {e.InnerExceptions[0].Message}");
                return InputError;
            }
            line.Clear();
            stdout.WriteLine($"graphdl fuzz: {report.Summary()}");
            stdout.WriteLine($"  {report.Stats}");
            return report.Mismatches == 0 ? Ok : InputError;
        });
        return command;
    }

    /// <summary>
    /// Progress of the process's own stderr: on a terminal one line, rewritten in place at most five times a second;
    /// redirected to a file (a long run in the background), one plain line a minute, which says where to resume with
    /// <c>--first</c>. On any other writer (a test's) nothing.
    /// </summary>
    private sealed class ProgressLine(TextWriter stderr, int total)
    {
        private readonly bool _terminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
        private readonly bool _log = ReferenceEquals(stderr, Console.Error) && Console.IsErrorRedirected;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _shown = TimeSpan.Zero;
        private int _width;

        public void Update(FuzzReport report)
        {
            var now = _clock.Elapsed;
            int done = report.Graphs;
            if (!(_terminal || _log) || (now - _shown).TotalSeconds < (_terminal ? 0.2 : 60) && done < total)
            {
                return;
            }
            _shown = now;
            double rate = done / Math.Max(now.TotalSeconds, 1e-9);
            var left = TimeSpan.FromSeconds((total - done) / Math.Max(rate, 1e-9));
            var text = string.Create(CultureInfo.InvariantCulture,
                $"fuzz: {done}/{total} graphs, {report.Mismatches} mismatches, {rate:F2} graphs/s, {(int)left.TotalHours}:{left.Minutes:D2}:{left.Seconds:D2} left");
            if (_log)
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{text} (every graph below {report.CheckedBelow} checked)"));
                return;
            }
            stderr.Write("\r" + text.PadRight(_width));
            _width = text.Length;
        }

        public void Clear()
        {
            if (_terminal && _width > 0)
            {
                stderr.Write("\r" + new string(' ', _width) + "\r");
                _width = 0;
            }
        }
    }
}
