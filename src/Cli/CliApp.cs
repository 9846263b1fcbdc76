using System.CommandLine;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Runtime;

namespace GraphDL.Cli;

/// <summary>
/// The <c>graphdl</c> command line. Exit codes: 0 success, 1 the input is wrong (parse, verification or
/// evaluation error, reported as <c>file:line:col: error: ...</c>; a pass that fails; a script that does not compile
/// or throws; a tensor too large to allocate, in one line; a mismatch found by <c>diff</c> or <c>fuzz</c>), 2 usage error (unknown
/// option or pass, missing file, no <c>dot</c> for <c>--emit svg</c>).
/// </summary>
public static partial class CliApp
{
    public const int Ok = 0;
    public const int InputError = 1;
    public const int UsageError = 2;

    /// <summary>A failure inside GraphDL (a bug), as <c>EX_SOFTWARE</c> of sysexits.h.</summary>
    public const int InternalError = 70;

    /// <summary>Runs the CLI with the given streams (the entry point tests call).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("GraphDL: a deep-learning compiler for .NET. Reads, checks, runs, optimizes and compiles .gir graphs and model scripts.");
        root.Subcommands.Add(Check(stdout, stderr));
        root.Subcommands.Add(Print(stdout, stderr));
        root.Subcommands.Add(RunCommand(stdout, stderr));
        root.Subcommands.Add(Opt(stdout, stderr));
        root.Subcommands.Add(Compile(stdout, stderr));
        root.Subcommands.Add(Bench(stdout, stderr));
        root.Subcommands.Add(Diff(stdout, stderr));
        root.Subcommands.Add(Fuzz(stdout, stderr));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"graphdl: {error.Message}");
            }
            stderr.WriteLine("Try 'graphdl --help'.");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (TensorAllocationException e)
        {
            // Any command may meet a tensor too large for memory (random inputs, a program's buffers): the input's fault.
            stderr.WriteLine($"graphdl: {e.Message}");
            return InputError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever else escapes a command is GraphDL's fault, not the input's (a compiler invariant that failed):
            // one line that says so, then the details a bug report needs, and exit 70 rather than an abort.
            stderr.WriteLine($"graphdl: internal error: {e.GetType().Name}: {e.Message}");
            stderr.WriteLine("graphdl: this is a bug in GraphDL, not in the input; please report it with the command line and the input. Details:");
            stderr.WriteLine(e);
            return InternalError;
        }
    }

    private static Argument<FileInfo> FileArgument() => new("file") { Description = "a .gir file (one or more graphs)" };

    private static Command Check(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var command = new Command("check", "Parse and verify a .gir file; print a one-line summary.") { file };
        command.SetAction(result => WithGraphs(result.GetValue(file)!, stderr, graphs =>
        {
            int nodes = graphs.Sum(g => g.Nodes.Count);
            stdout.WriteLine($"{result.GetValue(file)!.Name}: ok ({graphs.Count} graph{(graphs.Count == 1 ? "" : "s")}, {nodes} node{(nodes == 1 ? "" : "s")})");
            return Ok;
        }));
        return command;
    }

    private static Command Print(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var command = new Command("print", "Print a .gir file in canonical form (values renumbered, attributes in order, locations aligned).") { file };
        command.SetAction(result => WithGraphs(result.GetValue(file)!, stderr, graphs =>
        {
            stdout.Write(GirPrinter.Print(graphs));
            return Ok;
        }));
        return command;
    }

    private static Command RunCommand(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var seed = new Option<int>("--seed") { Description = "seed for the random inputs", DefaultValueFactory = _ => 0 };
        var graphName = new Option<string?>("--graph") { Description = "which graph of the module to run (default: the first)" };
        var command = new Command("run", "Run a graph with the reference interpreter on seeded random inputs (floats ~ N(0,1), integers in [0,10)) and print its outputs.")
        {
            file, seed, graphName,
        };
        command.SetAction(result => WithGraphs(result.GetValue(file)!, stderr, graphs =>
        {
            var name = result.GetValue(graphName);
            var graph = name is null ? graphs[0] : graphs.FirstOrDefault(g => g.Name == name);
            if (graph is null)
            {
                stderr.WriteLine($"graphdl: no graph @{name} in {result.GetValue(file)!.Name} (it has {string.Join(", ", graphs.Select(g => "@" + g.Name))})");
                return UsageError;
            }
            IReadOnlyList<HostTensor> outputs;
            try
            {
                outputs = ReferenceInterpreter.Run(graph, RandomInputs.For(graph, result.GetValue(seed)));
            }
            catch (EvaluationException e)
            {
                stderr.WriteLine(e.Message);
                return InputError;
            }
            catch (TensorAllocationException e)
            {
                stderr.WriteLine(e.Loc.IsKnown ? e.Message : $"{result.GetValue(file)!.Name}: {e.Message}");
                return InputError;
            }
            for (int i = 0; i < outputs.Count; i++)
            {
                stdout.WriteLine(Summary(graph.OutputName(i), outputs[i]));
            }
            return Ok;
        }));
        return command;
    }

    /// <summary><c>name: type  sum=S  first=[v0, v1, ...]</c> (at most 8 values; floats printed in their dtype's shortest form).</summary>
    internal static string Summary(string name, HostTensor value)
    {
        int shown = (int)Math.Min(8, value.ElementCount);
        var first = Enumerable.Range(0, shown).Select(i => value.GetScalar(i).ToString());
        double sum = 0;
        for (long i = 0; i < value.ElementCount; i++)
        {
            sum += value.DType.IsBool() ? (value.GetBool(i) ? 1 : 0) : value.GetDouble(i);
        }
        var more = value.ElementCount > shown ? ", ..." : "";
        return $"{name}: {value.Type}  sum={FloatFormat.Format(sum, DType.F64)}  first=[{string.Join(", ", first)}{more}]";
    }

    private static int WithGraphs(FileInfo file, TextWriter stderr, Func<IReadOnlyList<Graph>, int> action)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"graphdl: cannot read {file.FullName}: {e.Message}");
            return UsageError;
        }
        IReadOnlyList<Graph> graphs;
        try
        {
            graphs = GirParser.ParseModule(text, file.Name);
        }
        catch (IrParseException e)
        {
            stderr.WriteLine(e.Message);
            return InputError;
        }
        return action(graphs);
    }
}
