using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using GraphDL.IR;

namespace GraphDL.Cli.Fuzzing;

/// <summary>What a fuzzing run does: how many graphs from which seed, in which configurations, where failures go.</summary>
/// <param name="Graphs">Random graphs to run: graphs <paramref name="First"/> to <paramref name="First"/> + Graphs − 1.</param>
/// <param name="Seed">Graph i is <see cref="Fuzzer.Recipe"/>(Seed, i), so a seed names a fixed list of graphs.</param>
/// <param name="Configurations">Where each graph runs (all of them for each graph, or one in turn with <paramref name="Rotate"/>).</param>
/// <param name="OutputDirectory">Where the shrunk failures are written, one <c>.gir</c> each.</param>
/// <param name="Jobs">Graphs checked at once (the result does not depend on it).</param>
/// <param name="Rotate">Graph i runs in configuration i mod n only: every configuration gets every n-th graph.</param>
/// <param name="First">The index of the first graph, so that a long run of one seed can be split into parts (run on several
/// machines, or resumed where an earlier run stopped) that together check the same graphs as one run.</param>
internal sealed record FuzzOptions(int Graphs, int Seed, IReadOnlyList<FuzzConfiguration> Configurations, string OutputDirectory, int Jobs = 1, bool Rotate = false,
    int First = 0);

/// <summary>A failure written to disk: its shrunk form and the file holding it.</summary>
internal sealed record FuzzFailure(int Index, RecipeFailure Original, RecipeFailure Shrunk, string Path);

/// <summary>The outcome of a fuzzing run.</summary>
internal sealed class FuzzReport(FuzzOptions options)
{
    /// <summary>Per configuration: graphs checked in it, and those that failed.</summary>
    public Dictionary<FuzzConfiguration, (int Graphs, int Failed)> Tally { get; } = options.Configurations.ToDictionary(c => c, _ => (0, 0));

    public List<FuzzFailure> Failures { get; } = [];

    public DiffStats Stats { get; } = new();

    public int Graphs { get; set; }

    /// <summary>Every graph below this index (from <see cref="FuzzOptions.First"/> on) has been checked: where to resume a stopped run.</summary>
    public int CheckedBelow { get; set; } = options.First;

    public TimeSpan Elapsed { get; set; }

    public int Mismatches => Tally.Values.Sum(t => t.Failed);

    /// <summary>One line: graphs, programs, mismatches, and per configuration failed/checked.</summary>
    public string Summary() =>
        string.Create(CultureInfo.InvariantCulture, $"{Graphs} graphs (seed {options.Seed}{(options.First == 0 ? "" : $", graphs {options.First} to {options.First + options.Graphs - 1}")}, forward and backward), {Stats.Programs} programs, {Mismatches} mismatches in {Elapsed.TotalSeconds:F0} s: ")
        + string.Join(", ", options.Configurations.Select(c => $"{c} {Tally[c].Failed}/{Tally[c].Graphs}"));
}

/// <summary>
/// The differential fuzzer behind <c>graphdl fuzz</c> and the random-graph tests: N random graphs (<see cref="RandomGraphs"/>),
/// each forward and backward, compiled in each configuration and judged against the interpreter
/// (<see cref="RecipeCheck"/>); each failure is shrunk (<see cref="FailureShrinker"/>) and written as a <c>.gir</c> with
/// its input seed as a <c>// seed=N</c> comment, ready for <c>tests/GraphDL.Tests/Codegen/Regressions/</c>.
/// Deterministic: graph i of seed S is always the same graph on the same inputs, and shrinking is greedy and seeded.
/// <para>
/// Every graph is a new program, so the user's on-disk kernel cache is left alone: while it runs, this process's
/// cache is a private temporary directory (<c>GRAPHDL_CACHE</c>), emptied as it goes and deleted at the end. It still
/// earns its keep: a graph's planned and unplanned programs have the same generated source, so the second loads the
/// image Roslyn made for the first (compilation is deterministic), which saves about a fifth of the time. Where no
/// graph runs both (<see cref="FuzzOptions.Rotate"/>), it is off.
/// </para>
/// </summary>
internal static class Fuzzer
{
    /// <summary>Graph <paramref name="index"/> of <paramref name="seed"/>: CsCheck's generator on PCG stream <paramref name="seed"/>.</summary>
    public static GraphRecipe Recipe(int seed, int index) => RandomGraphs.Recipe.Generate(new PCG(unchecked((uint)seed), (ulong)index), null, out _);

    /// <summary>
    /// Runs the graphs, taken in index order by <see cref="FuzzOptions.Jobs"/> workers (so that a run stopped early has
    /// checked a prefix of them, less the few in flight: <see cref="FuzzReport.CheckedBelow"/>);
    /// <paramref name="progress"/> hears the report after each graph, and <paramref name="failed"/> each failure once it
    /// is shrunk and written.
    /// </summary>
    public static FuzzReport Run(FuzzOptions options, Action<FuzzReport>? progress = null, Action<FuzzFailure>? failed = null)
    {
        var report = new FuzzReport(options);
        var clock = Stopwatch.StartNew();
        bool pairs = !options.Rotate && options.Configurations.Any(c => options.Configurations.Contains(c with { PlanMemory = !c.PlanMemory }));
        using var cache = new PrivateKernelCache(pairs);
        var gate = new Lock();
        var inFlight = new SortedSet<int>();
        int next = options.First, end = options.First + options.Graphs;
        Parallel.For(0, Math.Max(1, options.Jobs), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs) }, _ =>
        {
            while (true)
            {
                int index;
                lock (gate)
                {
                    if (next >= end)
                    {
                        return;
                    }
                    index = next++;
                    inFlight.Add(index);
                }
                Check(options, index, report, gate, () =>
                {
                    inFlight.Remove(index);
                    report.CheckedBelow = inFlight.Count > 0 ? inFlight.Min : next;
                    progress?.Invoke(report);
                    cache.Trim();
                }, failed);
            }
        });
        report.Failures.Sort((a, b) => a.Index.CompareTo(b.Index));
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>Checks graph <paramref name="index"/> and tallies it into <paramref name="report"/>, then calls <paramref name="done"/>, under <paramref name="gate"/>.</summary>
    private static void Check(FuzzOptions options, int index, FuzzReport report, Lock gate, Action done, Action<FuzzFailure>? failed)
    {
        var recipe = Recipe(options.Seed, index);
        var configurations = options.Rotate ? [options.Configurations[index % options.Configurations.Count]] : options.Configurations;
        var stats = new DiffStats();
        IReadOnlyList<RecipeFailure> failures;
        FuzzFailure? written;
        try
        {
            failures = RecipeCheck.Run(recipe, configurations, stats);
            written = failures.Count == 0 ? null : Write(options, index, failures[0], FailureShrinker.Shrink(failures[0]));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not a compiler failure (those are caught per configuration) but the fuzzer's own: say which graph.
            throw new InvalidOperationException($"graph {index} of seed {options.Seed} ({recipe}): {e.GetType().Name}: {e.Message}", e);
        }
        lock (gate)
        {
            report.Graphs++;
            report.Stats.Add(stats);
            foreach (var configuration in configurations)
            {
                var (checkedGraphs, failedGraphs) = report.Tally[configuration];
                report.Tally[configuration] = (checkedGraphs + 1, failedGraphs + (failures.Any(f => f.Configuration == configuration) ? 1 : 0));
            }
            if (written is not null)
            {
                report.Failures.Add(written);
                failed?.Invoke(written);
            }
            done();
        }
    }

    /// <summary>
    /// Writes the shrunk failure as <c>DIR/seedS-graphI.gir</c>: what failed where (the original, unshrunk failure
    /// too), the recipe, the <c>graphdl diff</c> command that shows it, <c>// seed=N</c>, then the graph.
    /// </summary>
    internal static FuzzFailure Write(FuzzOptions options, int index, RecipeFailure original, RecipeFailure shrunk)
    {
        static string Comment(string text) => text.ReplaceLineEndings(" ");
        var name = string.Create(CultureInfo.InvariantCulture, $"seed{options.Seed}-graph{index}.gir");
        var text = new StringBuilder()
            .Append("// graphdl fuzz --seed ").Append(options.Seed.ToString(CultureInfo.InvariantCulture)).Append(", graph ").Append(index.ToString(CultureInfo.InvariantCulture))
            .Append(": ").Append(Comment(shrunk.ToString())).Append('\n')
            .Append("// before shrinking: ").Append(Comment(original.ToString())).Append('\n')
            .Append("// ").Append(shrunk.Recipe).Append('\n')
            .Append("// reproduce: graphdl diff ").Append(name).Append(" --seed ").Append(shrunk.Recipe.InputSeed.ToString(CultureInfo.InvariantCulture))
            .Append(" --specials").Append(shrunk.Configuration.DiffFlags).Append('\n')
            .Append("// seed=").Append(shrunk.Recipe.InputSeed.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(shrunk.Graph)
            .ToString();
        Directory.CreateDirectory(options.OutputDirectory);
        var path = Path.GetFullPath(Path.Combine(options.OutputDirectory, name));
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));
        return new FuzzFailure(index, original, shrunk, path);
    }

    /// <summary>
    /// Points this process's kernel cache at a fresh temporary directory (switched on, whatever the user's setting;
    /// or off, where no program will be compiled twice) and, when disposed, restores the environment and deletes the
    /// directory.
    /// </summary>
    private sealed class PrivateKernelCache : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("graphdl-fuzz-").FullName;
        private readonly string? _cache = Environment.GetEnvironmentVariable("GRAPHDL_CACHE");
        private readonly string? _enabled = Environment.GetEnvironmentVariable("GRAPHDL_KERNEL_CACHE");

        public PrivateKernelCache(bool enabled)
        {
            Environment.SetEnvironmentVariable("GRAPHDL_CACHE", _root);
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE", enabled ? null : "0");
        }

        /// <summary>Empties the directory once it holds more than a few graphs' images (a missing entry is only compiled again).</summary>
        public void Trim()
        {
            var kernels = Path.Combine(_root, "kernels");
            if (Directory.Exists(kernels) && Directory.EnumerateFiles(kernels).Skip(400).Any())
            {
                Delete(kernels);
            }
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("GRAPHDL_CACHE", _cache);
            Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE", _enabled);
            Delete(_root);
        }

        private static void Delete(string directory)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A file another job is writing right now: the next trim takes it.
            }
        }
    }
}
