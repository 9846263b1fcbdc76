using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Runtime;

namespace GraphDL.Cli;

/// <summary><c>graphdl bench</c>: a per-kernel timing table of a compiled graph, fused against unfused, and the remat sweep.</summary>
public static partial class CliApp
{
    private static Command Bench(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "a .gir file, or a C# model script (.csx) whose last expression is a Graph or a training step" };
        var graphName = new Option<string?>("--graph") { Description = "benchmark only this graph of the module" };
        var compare = new Option<bool>("--compare-unfused") { Description = "also time the program compiled with one kernel per primitive and print the fused/unfused ratio" };
        var repetitions = new Option<int>("--repetitions", "-n") { Description = "timed runs per measurement (medians are reported)", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "seed for the random inputs", DefaultValueFactory = _ => 0 };
        var sweep = new Option<bool>("--remat-sweep")
        {
            Description = "for a training step: compile with remat none, sqrt and budgets from 90% of the none arena down to the first "
                + "that cannot be met; time the programs interleaved; print arena, saved activations and median step time against none, "
                + "and draw step time over arena bytes as SVG",
        };
        var svg = new Option<FileInfo?>("--svg") { Description = "where --remat-sweep writes its curve (default: MODEL.remat.svg in the current directory)" };
        var command = new Command("bench",
            "Compile with the CPU backend and time every kernel on seeded random inputs: median time, GB/s, GFLOP/s and the "
            + "fraction of the STREAM copy bandwidth measured in the same run.")
        {
            file, graphName, compare, repetitions, seed, sweep, svg,
        };
        command.SetAction(result =>
        {
            int runs = result.GetValue(repetitions);
            if (runs < 1)
            {
                return Fail(stderr, "--repetitions must be at least 1");
            }
            if (result.GetValue(sweep))
            {
                return result.GetValue(compare)
                    ? Fail(stderr, "--remat-sweep and --compare-unfused measure different programs; give one")
                    : Passes(stderr, () => RematSweep(result.GetValue(file)!, result.GetValue(graphName), runs, result.GetValue(seed), result.GetValue(svg), stdout, stderr));
            }
            if (result.GetValue(svg) is not null)
            {
                return Fail(stderr, "--svg is where --remat-sweep draws its curve; add --remat-sweep");
            }
            int code = CompileInput(result.GetValue(file)!, PassOptions.FromEnvironment(), result.GetValue(graphName), stderr, out var graphs);
            if (code != Ok)
            {
                return code;
            }
            double copy = MemoryBandwidth.MeasureCopy();
            stdout.WriteLine(Invariant($"STREAM copy: {copy / 1e9:F1} GB/s (median of 15 copies of 64 MiB)"));
            return Passes(stderr, () =>
            {
                foreach (var graph in graphs)
                {
                    BenchGraph(graph, runs, result.GetValue(seed), result.GetValue(compare), copy, stdout);
                }
                return Ok;
            });
        });
        return command;
    }

    private static void BenchGraph(Graph graph, int runs, int seed, bool compareUnfused, double copyBandwidth, TextWriter stdout)
    {
        var inputs = RandomInputs.For(graph, seed);
        using var fused = Backend.Cpu.Compile(graph);
        var program = fused.Program!;
        var steps = fused.Profile(inputs, runs);
        stdout.WriteLine();
        stdout.WriteLine(Invariant($"@{graph.Name}: {graph.Nodes.Count} nodes in {steps.Count} kernels; {program.Fusion.BytesSaved} bytes of traffic saved by fusion"));
        stdout.WriteLine(Invariant($"peak live step results: {program.Schedule.PeakBytes} bytes (in graph order: {program.Schedule.GivenOrderPeakBytes})"));
        stdout.WriteLine("  #  kernel                                 median   GB/s  GFLOP/s  %copy  fused nodes");
        for (int i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            // The step kind and kernel name; its nodes follow at the end of the line.
            string name = s.Name.Split(':')[0].Trim();
            name = name.Length > 36 ? name[..33] + "..." : name;
            string nodes = string.Join(", ", s.Nodes.Select(n => n.Op.Name + (n.Loc.IsKnown ? $" ({n.Loc})" : "")));
            stdout.WriteLine(Invariant(
                $"{i,3}  {name,-36} {Time(s.Seconds),9} {s.GigabytesPerSecond,6:F1} {s.GigaflopsPerSecond,8:F2} {100 * s.Bytes / s.Seconds / copyBandwidth,5:F0}%  {nodes}"));
        }
        var (fusedTime, fusedBest) = MedianRun(fused, inputs, runs);
        stdout.WriteLine(Invariant($"whole program (fused): {Time(fusedTime)} median of {runs} (best {Time(fusedBest)}); sum of kernel medians {Time(steps.Sum(s => s.Seconds))}"));
        if (compareUnfused)
        {
            using var unfused = Backend.CpuUnfused.Compile(graph);
            var (unfusedTime, _) = MedianRun(unfused, inputs, runs);
            // Measured again after the unfused runs, so drift on a shared machine shows up in neither alone.
            fusedTime = Math.Min(fusedTime, MedianRun(fused, inputs, runs).Median);
            stdout.WriteLine(Invariant($"whole program (unfused, {unfused.Program!.Fusion.Kernels.Count} kernels): {Time(unfusedTime)}; fused is {unfusedTime / fusedTime:F2}x faster"));
        }
    }

    private static (double Median, double Best) MedianRun(IExecutable program, IReadOnlyList<HostTensor> inputs, int runs)
    {
        program.Run(inputs);
        var times = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            program.Run(inputs);
            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(times);
        return (times[runs / 2], times[0]);
    }

    private static string Time(double seconds) =>
        seconds >= 1 ? Invariant($"{seconds:F2} s") : seconds >= 1e-3 ? Invariant($"{seconds * 1e3:F2} ms") : Invariant($"{seconds * 1e6:F1} us");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
