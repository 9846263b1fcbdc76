using System.Diagnostics;
using System.Globalization;
using System.Text;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.IR.Verification;

namespace GraphDL.Passes;

/// <summary>What happened in one pass of a pipeline run.</summary>
public sealed record PassRecord(string Name, TimeSpan Elapsed, int NodesBefore, int NodesAfter, bool Changed, bool Skipped, Lazy<GraphStatistics> Statistics)
{
    /// <summary>The graph's statistics after the pass, counted when first asked for (most compiles never ask).</summary>
    public GraphStatistics After => Statistics.Value;

    internal PassRecord(string name, TimeSpan elapsed, int nodesBefore, int nodesAfter, bool changed, bool skipped, Graph? after)
        : this(name, elapsed, nodesBefore, nodesAfter, changed, skipped, new Lazy<GraphStatistics>(() => after is null ? GraphStatistics.Empty : GraphStatistics.Of(after)))
    {
    }
}

/// <summary>
/// Runs a pipeline of passes with instrumentation: IR printing before/after passes, a numbered dump directory with
/// diffs, verification after each pass, per-pass statistics, bisection (<c>StopAfter</c>, <c>Skip</c>) and a
/// numerical sanitizer that names the first pass whose outputs change. Dumps depend only on the graphs, so two runs
/// of the same model give byte-identical files.
/// </summary>
public sealed class PassManager
{
    private readonly IReadOnlyList<IPass> _passes;
    private readonly PassOptions _options;
    private readonly List<PassRecord> _records = [];

    /// <param name="passes">The pipeline, in order.</param>
    /// <param name="options">Instrumentation.</param>
    public PassManager(IEnumerable<IPass> passes, PassOptions? options = null)
    {
        _passes = passes.ToArray();
        _options = options ?? PassOptions.Default;
        var unknown = _options.Skip.Concat(_options.StopAfter is { } s ? [s] : [])
            .Where(name => _passes.All(p => p.Name != name)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"no pass named {string.Join(", ", unknown)} in the pipeline ({string.Join(", ", _passes.Select(p => p.Name))})");
        }
    }

    /// <summary>One record per pass of the last <see cref="Run"/>.</summary>
    public IReadOnlyList<PassRecord> Records => _records;

    private TextWriter Log => _options.Log ?? Console.Error;

    public Graph Run(Graph input)
    {
        _records.Clear();
        var graph = input;
        // The text form is printed only where it is shown or dumped: for a large program (an unrolled recurrence of
        // thousands of nodes) printing it after every pass cost more than the passes. Whether a pass changed the graph
        // is decided structurally (GraphEquality), which is what comparing the texts decided.
        bool textNeeded = _options.DumpDirectory is not null || _options.PrintIrBefore.Count > 0 || _options.PrintIrAfter.Count > 0;
        var previousText = textNeeded ? graph.ToString() : "";
        var previousFile = "00-input.gir";
        if (_options.DumpDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            // Search patterns know only * and ?, so the two leading digits are checked here.
            foreach (var stale in DumpExtensions.SelectMany(extension => Directory.GetFiles(dir, "??-*." + extension))
                .Where(path => Path.GetFileName(path) is [>= '0' and <= '9', >= '0' and <= '9', '-', ..]))
            {
                File.Delete(stale);
            }
            AtomicFile.Write(Path.Combine(dir, previousFile), previousText);
        }
        for (int i = 0; i < _passes.Count; i++)
        {
            var pass = _passes[i];
            if (_options.Skip.Contains(pass.Name))
            {
                _records.Add(new(pass.Name, TimeSpan.Zero, graph.Nodes.Count, graph.Nodes.Count, false, true, graph));
                continue;
            }
            if (PassOptions.Selects(_options.PrintIrBefore, pass.Name))
            {
                Print($"IR Dump Before {pass.Name}", previousText);
            }
            _options.Progress?.Invoke(pass.Name);
            var clock = Stopwatch.StartNew();
            var result = pass.Run(graph);
            clock.Stop();
            bool changed = !ReferenceEquals(result, graph) && !GraphEquality.AreEqual(graph, result);
            var text = textNeeded ? (changed ? result.ToString() : previousText) : "";
            if (_options.VerifyEach)
            {
                Verify(pass, result);
            }
            if (_options.Sanitize)
            {
                Sanitize(pass, graph, result);
            }
            _records.Add(new(pass.Name, clock.Elapsed, graph.Nodes.Count, result.Nodes.Count, changed, false, result));
            if (PassOptions.Selects(_options.PrintIrAfter, pass.Name) && (changed || !_options.PrintOnlyChanges))
            {
                Print($"IR Dump After {pass.Name}{(changed ? "" : " (no change)")}", text);
            }
            if (_options.DumpDirectory is { } dumpDir)
            {
                var file = $"{i + 1:00}-{pass.Name}.gir";
                AtomicFile.Write(Path.Combine(dumpDir, file), text);
                AtomicFile.Write(Path.Combine(dumpDir, Path.ChangeExtension(file, ".diff")), UnifiedDiff.Create(previousText, text, previousFile, file));
                previousFile = file;
            }
            graph = result;
            previousText = text;
            if (pass.Name == _options.StopAfter)
            {
                break;
            }
        }
        (_nextDump, _lastGraphText, _lastGraphFile) = (_passes.Count + 1, previousText, previousFile);
        if (_options.Statistics)
        {
            Log.Write(StatisticsTable(input));
        }
        return graph;
    }

    /// <summary>The extensions of numbered dump files: graphs, their diffs, and stage listings and sources.</summary>
    public static readonly IReadOnlyList<string> DumpExtensions = ["gir", "diff", "txt", "cs"];

    private int _nextDump = 1;
    private string _lastGraphText = "";
    private string _lastGraphFile = "00-input.gir";

    /// <summary>
    /// Runs a stage of the back half that follows the passes (a backend's fuse, lower, schedule, plan-memory,
    /// codegen) with the same instrumentation: it is timed for the statistics, printed when
    /// <see cref="PassOptions.PrintIrAfter"/> names it (or all), and dumped as the next numbered file
    /// <c>NN-name.EXT</c> holding <paramref name="print"/>'s text — for <c>gir</c> (a graph, such as the fused one)
    /// with its diff against the last graph dumped. Call it after <see cref="Run"/>, in order.
    /// </summary>
    public T Stage<T>(string name, Func<T> run, Func<T, string> print, string extension = "txt")
    {
        _options.Progress?.Invoke(name);
        var clock = Stopwatch.StartNew();
        var result = run();
        clock.Stop();
        // Printing a large program costs time; only what is shown is printed.
        var text = PassOptions.Selects(_options.PrintIrAfter, name) || _options.DumpDirectory is not null ? print(result) : "";
        var graph = result as Graph;
        bool isGraph = extension == "gir";
        if (_options.Statistics)
        {
            Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stage {name,-12} {clock.Elapsed.TotalMilliseconds,9:F2} ms"));
        }
        _records.Add(new(name, clock.Elapsed, graph?.Nodes.Count ?? 0, graph?.Nodes.Count ?? 0, true, false, graph));
        if (PassOptions.Selects(_options.PrintIrAfter, name))
        {
            Print($"{(isGraph ? "IR Dump" : "Dump")} After {name}", text);
        }
        if (_options.DumpDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            var file = $"{_nextDump:00}-{name}.{extension}";
            AtomicFile.Write(Path.Combine(dir, file), text);
            if (isGraph)
            {
                AtomicFile.Write(Path.Combine(dir, Path.ChangeExtension(file, ".diff")), UnifiedDiff.Create(_lastGraphText, text, _lastGraphFile, file));
            }
            if (isGraph)
            {
                (_lastGraphText, _lastGraphFile) = (text, file);
            }
        }
        _nextDump++;
        return result;
    }

    private void Print(string title, string text)
    {
        Log.WriteLine($"// ----- {title} ----- //");
        Log.Write(text);
        Log.WriteLine();
    }

    private static void Verify(IPass pass, Graph result)
    {
        var verification = Verifier.Verify(result);
        if (verification.IsValid)
        {
            return;
        }
        var lines = result.ToString().Split('\n');
        var message = new StringBuilder($"pass '{pass.Name}' produced an invalid graph @{result.Name}:");
        foreach (var d in verification.Diagnostics.Take(10))
        {
            message.Append("\n  ").Append(d);
            if (d.Site is DiagnosticSite.Node or DiagnosticSite.Operand or DiagnosticSite.Attribute or DiagnosticSite.ResultType
                && d.Index >= 0 && d.Index + 1 < lines.Length)
            {
                message.Append("\n    offending node: ").Append(lines[d.Index + 1].Trim());
            }
        }
        throw new PassFailedException(pass.Name, message.ToString());
    }

    private void Sanitize(IPass pass, Graph before, Graph after)
    {
        var inputsBefore = SanitizerInputs(before);
        var inputsAfter = SanitizerInputs(after);
        var expected = ReferenceInterpreter.Run(before, inputsBefore);
        var actual = ReferenceInterpreter.Run(after, inputsAfter);
        for (int o = 0; o < before.Outputs.Count; o++)
        {
            var name = before.OutputName(o);
            int match = Enumerable.Range(0, after.Outputs.Count).FirstOrDefault(k => after.OutputName(k) == name, -1);
            if (match < 0)
            {
                continue;
            }
            if (actual[match].Type != expected[o].Type)
            {
                throw new PassFailedException(pass.Name, $"numerical sanitizer: pass '{pass.Name}' changed the type of output {name} from {expected[o].Type} to {actual[match].Type}");
            }
            if (actual[match].FirstMismatch(expected[o], _options.SanitizeTolerance, _options.SanitizeTolerance, equalNan: true) is { } mismatch)
            {
                throw new PassFailedException(pass.Name, $"numerical sanitizer: pass '{pass.Name}' changed output {name} of @{before.Name} on seeded random inputs: {mismatch}");
            }
        }
        Log.WriteLine($"// sanitizer: {pass.Name} keeps the outputs of @{before.Name}");
    }

    /// <summary>Seeded random values per input, keyed by the input's name so that the graphs before and after a pass see the same values.</summary>
    private static HostTensor[] SanitizerInputs(Graph graph) =>
        graph.Inputs.Select(i => HostTensor.Random(i.Type, new Random(StableHash(i.Name)))).ToArray();

    private static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)(hash & 0x7fffffff);
    }

    /// <summary>The per-pass statistics as a fixed-width table.</summary>
    public string StatisticsTable(Graph input)
    {
        var rows = new List<string[]> { new[] { "pass", "ms", "nodes", "delta", "elem", "reduce", "move", "contract", "other", "MFLOP", "MB" } };
        var first = GraphStatistics.Of(input);
        rows.Add(Row("(input)", TimeSpan.Zero, first, 0, false));
        foreach (var r in _records)
        {
            rows.Add(Row(r.Skipped ? r.Name + " (skipped)" : r.Name, r.Elapsed, r.After, r.NodesAfter - r.NodesBefore, true));
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(row[0].PadRight(widths[0]));
            for (int c = 1; c < row.Length; c++)
            {
                text.Append("  ").Append(row[c].PadLeft(widths[c]));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string[] Row(string name, TimeSpan time, GraphStatistics s, int delta, bool timed) =>
    [
        name,
        timed ? time.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture) : "",
        s.Nodes.ToString(CultureInfo.InvariantCulture),
        delta == 0 ? "" : delta.ToString("+0;-0", CultureInfo.InvariantCulture),
        s.Elementwise.ToString(CultureInfo.InvariantCulture),
        s.Reduction.ToString(CultureInfo.InvariantCulture),
        s.Movement.ToString(CultureInfo.InvariantCulture),
        s.Contraction.ToString(CultureInfo.InvariantCulture),
        s.Other.ToString(CultureInfo.InvariantCulture),
        (s.Flops / 1e6).ToString("F2", CultureInfo.InvariantCulture),
        (s.Bytes / 1e6).ToString("F2", CultureInfo.InvariantCulture),
    ];
}

/// <summary>A pass produced an invalid or numerically different graph; the message names the pass.</summary>
public sealed class PassFailedException(string passName, string message) : GraphDLException(message)
{
    public string PassName { get; } = passName;
}
