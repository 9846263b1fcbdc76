using System.Globalization;
using System.Text.RegularExpressions;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Runtime;

namespace GraphDL.Cli;

/// <summary>
/// Runs a pass pipeline over the graphs of a module with the CLI's instrumentation. With several graphs, each
/// gets its own dump subdirectory (<c>DIR/NAME/</c>) and a <c>// ===== @NAME ===== //</c> header in the log.
/// </summary>
internal static partial class PipelineRunner
{
    /// <summary>Checks every name of a recipe against the registry and the named pipelines; null when all are known.</summary>
    public static string? UnknownPasses(IEnumerable<string> names)
    {
        var known = PassRegistry.Names;
        var unknown = names.Where(n => !known.Contains(n, StringComparer.Ordinal) && !Pipelines.Named.ContainsKey(n)).Distinct().ToArray();
        if (unknown.Length == 0)
        {
            return null;
        }
        var pipelines = Pipelines.Named.Keys.Order(StringComparer.Ordinal).ToArray();
        return $"unknown pass{(unknown.Length == 1 ? "" : "es")} {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known passes: "
            + (known.Count == 0 ? "(none registered)" : string.Join(", ", known))
            + (pipelines.Length == 0 ? "" : $"; pipelines: {string.Join(", ", pipelines)}");
    }

    /// <summary>Runs <paramref name="passes"/> on each graph (a fresh pass manager per graph).</summary>
    /// <exception cref="ArgumentException">Options name a pass that is not in the pipeline (--skip, --stop-after).</exception>
    /// <exception cref="PassFailedException">A pass produced an invalid or numerically different graph.</exception>
    public static IReadOnlyList<Graph> Run(IReadOnlyList<Graph> graphs, IReadOnlyList<IPass> passes, PassOptions options, IBackend? backend = null)
    {
        var results = new List<Graph>();
        foreach (var graph in graphs)
        {
            var perGraph = options;
            if (graphs.Count > 1)
            {
                if (options.DumpDirectory is { } dir)
                {
                    perGraph = perGraph with { DumpDirectory = Path.Combine(dir, graph.Name) };
                }
                if (options.PrintIrBefore.Count + options.PrintIrAfter.Count > 0 || options.Statistics || options.Sanitize)
                {
                    options.Log?.WriteLine($"// ===== @{graph.Name} ===== //");
                }
            }
            results.Add(RunAndCompile(graph, passes, perGraph, backend));
        }
        return results;
    }

    /// <summary>Runs the passes, then (with a backend) the backend's stages under the same pass manager, so they dump and print as its next steps.</summary>
    private static Graph RunAndCompile(Graph graph, IReadOnlyList<IPass> passes, PassOptions options, IBackend? backend)
    {
        var manager = new PassManager(passes, options);
        var result = manager.Run(graph);
        backend?.Compile(result, manager).Dispose();
        return result;
    }

    [GeneratedRegex(@"^(\d{2,})-(.+)\.(gir|diff|txt|cs)$", RegexOptions.CultureInvariant)]
    private static partial Regex DumpFile();

    /// <summary>Deletes the numbered dump files of <paramref name="directory"/> (as a pass manager does before its first dump).</summary>
    public static void ClearDumps(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (var file in Directory.GetFiles(directory).Where(f => DumpFile().IsMatch(Path.GetFileName(f))))
        {
            File.Delete(file);
        }
    }

    /// <summary>The numbered <c>.gir</c> dumps in <paramref name="directory"/>, by number.</summary>
    private static IReadOnlyList<(int Index, string Name)> Dumps(string directory) =>
        !Directory.Exists(directory) ? [] : Directory.GetFiles(directory)
            .Select(f => DumpFile().Match(Path.GetFileName(f)))
            .Where(m => m.Success && m.Groups[3].Value == "gir")
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Value))
            .OrderBy(d => d.Item1).ToArray();

    /// <summary>
    /// Runs a second stage of passes on <paramref name="graph"/>, whose earlier stage (a pipeline run inside a user
    /// script, e.g. a training step's autodiff and optimizer passes) may already have dumped into the dump directory:
    /// the second stage's dumps continue that numbering (<c>03-canonicalize.gir</c> after <c>02-optimizer.gir</c>, its
    /// diff against <c>02-optimizer.gir</c>), so one directory shows the whole compilation.
    /// </summary>
    public static Graph RunContinuing(Graph graph, IReadOnlyList<IPass> passes, PassOptions options, IBackend? backend = null)
    {
        if (options.DumpDirectory is not { } dir || Dumps(dir) is not { Count: > 0 } earlier)
        {
            return RunAndCompile(graph, passes, options, backend);
        }
        var (offset, previous) = earlier[^1];
        var staging = Path.Combine(dir, ".graphdl-stage");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        try
        {
            var result = RunAndCompile(graph, passes, options with { DumpDirectory = staging }, backend);
            string Renumber(string name)
            {
                var match = DumpFile().Match(name);
                int index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                return index == 0 ? previous : $"{index + offset:00}-{match.Groups[2].Value}.{match.Groups[3].Value}";
            }
            foreach (var file in Directory.GetFiles(staging).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                var match = DumpFile().Match(file!);
                if (!match.Success || match.Groups[1].Value.All(c => c == '0'))
                {
                    continue; // 00-input.gir: the earlier stage's last dump
                }
                var text = File.ReadAllText(Path.Combine(staging, file!));
                if (match.Groups[3].Value == "diff")
                {
                    var lines = text.Split('\n');
                    if (lines.Length > 2 && lines[0].StartsWith("--- ", StringComparison.Ordinal) && lines[1].StartsWith("+++ ", StringComparison.Ordinal))
                    {
                        lines[0] = "--- " + Renumber(lines[0][4..]);
                        lines[1] = "+++ " + Renumber(lines[1][4..]);
                        text = string.Join('\n', lines);
                    }
                }
                File.WriteAllText(Path.Combine(dir, Renumber(file!)), text);
            }
            return result;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
