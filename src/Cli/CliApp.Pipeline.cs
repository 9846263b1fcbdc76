using System.CommandLine;
using System.Text;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes;
using GraphDL.Passes.Memory;
using GraphDL.Passes.Visualization;
using GraphDL.Runtime;

namespace GraphDL.Cli;

/// <summary><c>graphdl opt</c> and <c>graphdl compile</c>: pass pipelines with instrumentation.</summary>
public static partial class CliApp
{
    private static Command Opt(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var passes = new Option<string[]>("--passes")
        {
            Description = "the pipeline: pass or pipeline names, comma-separated or repeated (none: print the canonical form)",
            Arity = ArgumentArity.OneOrMore,
        };
        var flags = new PipelineFlags();
        var command = new Command("opt", "Run passes on every graph of a .gir file and print the result in canonical form (instrumentation goes to stderr).")
        {
            file, passes,
        };
        flags.AddTo(command);
        command.SetAction(result =>
        {
            var names = Recipe(result.GetValue(passes));
            if (PipelineRunner.UnknownPasses(names) is { } unknown)
            {
                stderr.WriteLine($"graphdl: {unknown}");
                return UsageError;
            }
            var pipeline = PassRegistry.Parse(string.Join(',', names));
            var options = flags.Options(result, stderr);
            if (NotInPipeline(options, pipeline) is { } notFound)
            {
                stderr.WriteLine($"graphdl: {notFound}");
                return UsageError;
            }
            return WithGraphs(result.GetValue(file)!, stderr, graphs => Passes(stderr, () =>
            {
                stdout.Write(GirPrinter.Print(PipelineRunner.Run(graphs, pipeline, options)));
                return Ok;
            }));
        });
        return command;
    }

    /// <summary>The default simplification pipeline, as far as its passes exist: <see cref="Pipelines.Simplify"/>'s registered passes.</summary>
    internal static string DefaultRecipe =>
        string.Join(',', Recipe([Pipelines.Simplify]).Where(n => PassRegistry.Names.Contains(n, StringComparer.Ordinal)));

    private static Command Compile(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "a .gir file, or a C# model script (.csx) whose last expression is a Graph or a training step" };
        var emit = new Option<string>("--emit")
        {
            Description = "what to write: ir (.gir text), dot (Graphviz), svg or png (rendered with Graphviz's dot), fusion (the CPU "
                + "backend's kernels and every producer/consumer edge it does not fuse, with the reason), fused (the IR after the CPU backend's "
                + "fuse pass: each kernel a fused node with its body inline), program (the CPU program's steps in run order, each with the "
                + "buffers it reads and writes and where they live), csharp (the generated kernels), memory (the CPU program's arena plan: "
                + "arena, lower bound, no-reuse and saved activation bytes, and the buffers live at the peak), memory-svg (that plan drawn: "
                + "each buffer over the schedule steps it lives, and the bytes live per step)",
            DefaultValueFactory = _ => "ir",
        };
        emit.AcceptOnlyFromAmong("ir", "dot", "svg", "png", "fusion", "fused", "program", "csharp", "memory", "memory-svg");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "write to this file instead of stdout (needed for png)" };
        var graphName = new Option<string?>("--graph") { Description = "emit only this graph of the module (svg, png and memory-svg need one graph)" };
        var remat = new Option<string>("--remat")
        {
            Description = "rematerialization of training steps: none, sqrt (√n checkpoints) or budget=BYTES (e.g. budget=64MB); "
                + "a .gir file gets the remat pass after the pipeline",
            DefaultValueFactory = _ => "none",
        };
        var flags = new PipelineFlags();
        var command = new Command("compile",
            $"Compile a .gir file or a model script with the default pipeline ({Pipelines.Simplify}, verified after each pass) and emit the result.")
        {
            file, emit, output, graphName, remat,
        };
        flags.AddTo(command);
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            var format = result.GetValue(emit)!;
            var target = result.GetValue(output);
            string? dot = null;
            if (format is "svg" or "png")
            {
                if ((dot = Graphviz.Find()) is null)
                {
                    stderr.WriteLine($"graphdl: --emit {format}: {Graphviz.Missing}");
                    return UsageError;
                }
                if (format == "png" && target is null)
                {
                    stderr.WriteLine("graphdl: --emit png writes a binary image; give the file with -o FILE");
                    return UsageError;
                }
            }
            var options = flags.Options(result, stderr, verifyEach: true);
            RematPolicy policy;
            try
            {
                policy = RematPolicy.Parse(result.GetValue(remat)!);
            }
            catch (ArgumentException e)
            {
                stderr.WriteLine($"graphdl: --remat: {e.Message}");
                return UsageError;
            }
            int code = CompileInput(path, options, result.GetValue(graphName), stderr, out var graphs, policy);
            if (code != Ok)
            {
                return code;
            }
            if ((dot is not null || format == "memory-svg") && graphs.Count != 1)
            {
                stderr.WriteLine($"graphdl: --emit {format} draws one graph and {path.Name} has {graphs.Count}; pick one with --graph NAME");
                return UsageError;
            }
            byte[] bytes;
            try
            {
                bytes = format switch
                {
                    "ir" => Encoding.UTF8.GetBytes(GirPrinter.Print(graphs)),
                    "fusion" => Encoding.UTF8.GetBytes(string.Concat(graphs.Select(g => $"@{g.Name}\n" + Backend.Cpu.PlanFusion(g)!.Format()))),
                    "fused" => Encoding.UTF8.GetBytes(GirPrinter.Print(graphs.Select(Backend.Cpu.FusePass!.Run).ToArray())),
                    "program" => Encoding.UTF8.GetBytes(string.Concat(graphs.Select(g => Backend.Cpu.Lower(g)!.Format()))),
                    "csharp" => Encoding.UTF8.GetBytes(string.Concat(graphs.Select(GeneratedSource))),
                    "memory" => Encoding.UTF8.GetBytes(string.Concat(graphs.Select(MemoryReport))),
                    "memory-svg" => Encoding.UTF8.GetBytes(MemoryPicture(graphs[0])),
                    "dot" => Encoding.UTF8.GetBytes(DotWriter.Write(graphs)),
                    _ => Graphviz.Render(dot!, DotWriter.Write(graphs[0]), format),
                };
            }
            catch (InvalidOperationException e)
            {
                stderr.WriteLine($"graphdl: {e.Message}");
                return InputError;
            }
            if (target is null)
            {
                stdout.Write(Encoding.UTF8.GetString(bytes));
                return Ok;
            }
            try
            {
                Directory.CreateDirectory(target.DirectoryName!);   // -o graphdl-out/model.dot works in a fresh clone
                AtomicFile.Write(target.FullName, bytes);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"graphdl: cannot write {target.FullName}: {e.Message}");
                return UsageError;
            }
            return Ok;
        });
        return command;
    }

    private static string GeneratedSource(Graph graph)
    {
        using var program = Backend.Cpu.Compile(graph);
        return program.Source;
    }

    /// <summary>The memory plan of the CPU program compiled from <paramref name="graph"/>, as its steps run.</summary>
    private static string MemoryReport(Graph graph)
    {
        using var program = Backend.Cpu.Compile(graph);
        return $"@{graph.Name}\n" + program.Memory!.Format();
    }

    /// <summary>The memory plan of the CPU program compiled from <paramref name="graph"/>, drawn (<see cref="MemoryPlanSvg"/>).</summary>
    private static string MemoryPicture(Graph graph)
    {
        using var program = Backend.Cpu.Compile(graph);
        return MemoryPlanSvg.Render(program.Memory!);
    }

    /// <summary>
    /// Compiles a .gir file or a model script with the default pipeline under <paramref name="options"/>, keeping
    /// only graph <paramref name="graphName"/> when one is named. Returns an exit code (errors written to stderr).
    /// </summary>
    internal static int CompileInput(FileInfo path, PassOptions options, string? graphName, TextWriter stderr, out IReadOnlyList<Graph> graphs,
        RematPolicy? remat = null)
    {
        var policy = remat ?? RematPolicy.None;
        // The library's recipe; a budget is judged on the arena the CPU backend's program will get, as a script's training step is.
        var pipeline = Compiler.Recipe([], new CompileOptions { Remat = policy, Backend = Backend.Cpu, Pipeline = DefaultRecipe }, checkpointRegions: false);
        // With dumps, printing or statistics on, the backend's stages (fuse, lower, schedule, ...) run too, so they show.
        var backend = options.DumpDirectory is not null || options.PrintIrAfter.Count > 0 || options.Statistics ? Backend.Cpu : null;
        IReadOnlyList<Graph> compiled = [];
        using var scope = RematPolicy.Use(policy);
        int code = path.Extension.Equals(".csx", StringComparison.OrdinalIgnoreCase)
            ? CompileScript(path, pipeline, backend, options, stderr, out compiled)
            : NotInPipeline(options, pipeline) is { } notFound
                ? Fail(stderr, notFound)
                : WithGraphs(path, stderr, module => Passes(stderr, () =>
                {
                    compiled = PipelineRunner.Run(module, pipeline, options, backend);
                    return Ok;
                }));
        graphs = compiled;
        if (code != Ok || graphName is null)
        {
            return code;
        }
        if (compiled.FirstOrDefault(g => g.Name == graphName) is not { } chosen)
        {
            stderr.WriteLine($"graphdl: no graph @{graphName} in {path.Name} (it has {string.Join(", ", compiled.Select(g => "@" + g.Name))})");
            return UsageError;
        }
        graphs = [chosen];
        return Ok;
    }

    /// <summary>
    /// Runs a model script. A script returning a graph gets the default pipeline; a script returning a training step
    /// has compiled its own pipeline (traced loss → autodiff → optimizer → simplify) with these options as ambient
    /// instrumentation, so its dumps form one numbered sequence and nothing runs twice.
    /// </summary>
    private static int CompileScript(FileInfo path, IReadOnlyList<IPass> pipeline, IBackend? backend, PassOptions options, TextWriter stderr,
        out IReadOnlyList<Graph> graphs)
    {
        graphs = [];
        string code;
        try
        {
            code = File.ReadAllText(path.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"graphdl: cannot read {path.FullName}: {e.Message}");
            return UsageError;
        }
        if (options.DumpDirectory is { } dir)
        {
            PipelineRunner.ClearDumps(dir);
        }
        Graph graph;
        bool compiledInScript;
        try
        {
            (graph, compiledInScript) = ScriptRunner.Run(path.FullName, code, options, stderr);
        }
        catch (ScriptFailedException e)
        {
            stderr.WriteLine(e.Message);
            return InputError;
        }
        if (compiledInScript)
        {
            // A training step compiled its whole pipeline (autodiff, optimizer, simplify) inside the script, under
            // these options; running the default pipeline again would only repeat it.
            graphs = [graph];
            return Ok;
        }
        if (NotInPipeline(options, pipeline) is { } notFound)
        {
            return Fail(stderr, notFound);
        }
        var result = graph;
        int code2 = Passes(stderr, () =>
        {
            result = PipelineRunner.RunContinuing(graph, pipeline, options, backend);
            return Ok;
        });
        graphs = [result];
        return code2;
    }

    /// <summary>Pass names from <c>--passes</c> values, in order (comma-separated or repeated).</summary>
    private static string[] Recipe(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    /// <summary>A message when --skip or --stop-after names a pass the pipeline does not have.</summary>
    private static string? NotInPipeline(PassOptions options, IReadOnlyList<IPass> pipeline)
    {
        var names = pipeline.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var missing = options.Skip.Concat(options.StopAfter is { } s ? [s] : []).Where(n => !names.Contains(n)).Distinct().ToArray();
        return missing.Length == 0 ? null
            : $"no pass named {string.Join(", ", missing.Select(n => $"'{n}'"))} in the pipeline ({(names.Count == 0 ? "empty" : string.Join(", ", pipeline.Select(p => p.Name)))})";
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"graphdl: {message}");
        return UsageError;
    }

    /// <summary>Runs pipeline work; a failing pass (or a graph the sanitizer cannot evaluate) exits 1 with its message.</summary>
    private static int Passes(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (GraphDLException e)
        {
            stderr.WriteLine(e is PassFailedException ? $"error: {e.Message}" : e.Message);
            return InputError;
        }
    }
}
