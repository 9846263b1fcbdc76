using System.CommandLine;
using System.Globalization;
using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Runtime;

namespace GraphDL.Cli;

/// <summary><c>graphdl diff</c>: one graph on the compiled backend and on the interpreter, error per output.</summary>
public static partial class CliApp
{
    private static Command Diff(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "a .gir file, or a C# model script (.csx) whose last expression is a Graph or a training step" };
        var seed = new Option<int>("--seed") { Description = "seed for the random inputs", DefaultValueFactory = _ => 0 };
        var graphName = new Option<string?>("--graph") { Description = "only this graph of the module (default: every graph)" };
        var exact = new Option<bool>("--exact") { Description = "compile bit-exact (default: fast mode, as Backend.Cpu)" };
        var noFuse = new Option<bool>("--no-fuse") { Description = "one kernel per primitive" };
        var noPlan = new Option<bool>("--no-plan") { Description = "every intermediate in a buffer of its own instead of the planned arena" };
        var specials = new Option<bool>("--specials")
        {
            Description = "inputs as graphdl fuzz makes them (NaN, ±Inf, ±0, subnormals and huge values among normal ones), so "
                + "'// seed=N' of a fuzz failure reproduces it; default: floats N(0,1), integers in [0,10), as graphdl run",
        };
        var command = new Command("diff",
            "Run a graph compiled by the CPU backend and on the interpreter with the same seeded inputs, and print per output the "
            + "largest absolute and relative error and where, and whether the difference is allowed: none in bit-exact mode, "
            + "within the fast-mode error model otherwise. Exits 1 when it is not.")
        {
            file, seed, graphName, exact, noFuse, noPlan, specials,
        };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            int code = LoadGraphs(path, stderr, out var graphs);
            if (code != Ok)
            {
                return code;
            }
            if (result.GetValue(graphName) is { } name)
            {
                if (graphs.FirstOrDefault(g => g.Name == name) is not { } chosen)
                {
                    return Fail(stderr, $"no graph @{name} in {path.Name} (it has {string.Join(", ", graphs.Select(g => "@" + g.Name))})");
                }
                graphs = [chosen];
            }
            var configuration = new FuzzConfiguration(!result.GetValue(noFuse), result.GetValue(exact), !result.GetValue(noPlan));
            bool allowed = true;
            foreach (var graph in graphs)
            {
                var inputs = result.GetValue(specials) ? BackendDiff.Inputs(graph, result.GetValue(seed)) : RandomInputs.For(graph, result.GetValue(seed));
                stdout.WriteLine($"@{graph.Name}: {configuration} against the interpreter, inputs seed {result.GetValue(seed)}{(result.GetValue(specials) ? " with specials" : "")}");
                try
                {
                    allowed &= DiffGraph(graph, inputs, configuration, stdout);
                }
                catch (GraphDLException e)
                {
                    stderr.WriteLine(e.Message);
                    return InputError;
                }
            }
            return allowed ? Ok : InputError;
        });
        return command;
    }

    /// <summary>A .gir module as written, or the graph a model script gives (exit code; errors written to stderr).</summary>
    private static int LoadGraphs(FileInfo path, TextWriter stderr, out IReadOnlyList<Graph> graphs)
    {
        IReadOnlyList<Graph> loaded = [];
        if (!path.Extension.Equals(".csx", StringComparison.OrdinalIgnoreCase))
        {
            int code = WithGraphs(path, stderr, module =>
            {
                loaded = module;
                return Ok;
            });
            graphs = loaded;
            return code;
        }
        graphs = [];
        try
        {
            graphs = [ScriptRunner.Run(path.FullName, File.ReadAllText(path.FullName), PassOptions.FromEnvironment(), stderr).Graph];
            return Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, $"cannot read {path.FullName}: {e.Message}");
        }
        catch (ScriptFailedException e)
        {
            stderr.WriteLine(e.Message);
            return InputError;
        }
    }

    /// <summary>Prints one line per output; returns whether every output is allowed in <paramref name="configuration"/>.</summary>
    private static bool DiffGraph(Graph graph, IReadOnlyList<HostTensor> inputs, FuzzConfiguration configuration, TextWriter stdout)
    {
        var oracle = new DiffOracle(graph, inputs);
        IReadOnlyList<HostTensor> actual;
        using (var program = configuration.Backend.Compile(graph))
        {
            actual = program.Run(inputs);
        }
        bool allowed = true;
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            var verdict = oracle.Judge(configuration.Exact, o, actual[o], null);
            allowed &= verdict is null;
            var mode = configuration.Exact ? "bit-exact" : "within the fast-mode error model";
            stdout.WriteLine($"  {graph.OutputName(o)}: {actual[o].Type}  {ErrorSummary(actual[o], oracle.Expected[o])}  "
                + (verdict is null ? mode : $"NOT {mode}: {verdict}"));
        }
        return allowed;
    }

    /// <summary>
    /// "identical", or the largest absolute and relative error over elements both sides give as finite numbers (each
    /// with its index and the two values), and how many elements differ in class (NaN, ±Inf against a number).
    /// </summary>
    internal static string ErrorSummary(HostTensor actual, HostTensor expected)
    {
        if (BackendDiff.Same(actual, expected))
        {
            return actual.BitEquals(expected) ? "identical" : "identical but for NaN sign or payload";
        }
        double worstAbsolute = -1, worstRelative = -1;
        long atAbsolute = -1, atRelative = -1, classes = 0;
        for (long i = 0; i < expected.ElementCount; i++)
        {
            double a = actual.GetDouble(i), e = expected.GetDouble(i);
            if (!double.IsFinite(a) || !double.IsFinite(e))
            {
                classes += a.Equals(e) || (double.IsNaN(a) && double.IsNaN(e)) ? 0 : 1;
                continue;
            }
            double absolute = Math.Abs(a - e), relative = absolute == 0 ? 0 : absolute / Math.Abs(e);
            (worstAbsolute, atAbsolute) = absolute > worstAbsolute ? (absolute, i) : (worstAbsolute, atAbsolute);
            (worstRelative, atRelative) = relative > worstRelative ? (relative, i) : (worstRelative, atRelative);
        }
        string At(long i) => $"[{string.Join(",", expected.Shape.Unravel(i))}] ({actual.GetScalar(i)} vs {expected.GetScalar(i)})";
        var parts = new List<string>();
        if (atAbsolute >= 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"max abs error {worstAbsolute:G3} at {At(atAbsolute)}"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"max rel error {worstRelative:G3} at {At(atRelative)}"));
        }
        if (classes > 0)
        {
            parts.Add($"{classes} element{(classes == 1 ? "" : "s")} NaN or infinite on one side only");
        }
        return string.Join("  ", parts);
    }
}
