using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.Programs;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Passes.Fusion;
using GraphDL.Runtime;

namespace GraphDL.Bench;

/// <summary>
/// Two Stopwatch measurements of the MNIST MLP training step's compile time that BenchmarkDotNet cannot make:
/// <c>--cold-process</c> times the first compile of a fresh process (JIT of GraphDL and Roslyn included; run it
/// several times from a script for a median), and <c>--compile-breakdown</c> times each stage alone in a warm process
/// (medians of repeated runs).
/// </summary>
public static class CompileTimeBreakdown
{
    /// <summary>
    /// Compiles the step once in this (fresh) process and prints the milliseconds. <paramref name="mode"/> is
    /// <c>miss</c> (an empty kernel cache: Roslyn runs) or <c>hit</c> (the cache filled by an earlier process).
    /// </summary>
    public static void ColdProcess(string mode)
    {
        long start = Stopwatch.GetTimestamp();
        var root = Path.Combine(Path.GetTempPath(), "graphdl-compile-cold-" + (mode == "hit" ? "shared" : Guid.NewGuid().ToString("N")));
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", root);
        using (MnistMlpStep.Compile(MnistMlpStep.Model()))
        {
            Console.WriteLine(Invariant($"first compile in a fresh process (cache {mode}): {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F1} ms"));
        }
        if (mode != "hit")
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Prints the median time of each compile stage over <paramref name="repetitions"/> warm runs, and writes the
    /// generated C# to <paramref name="sourcePath"/> when given.
    /// </summary>
    public static void Print(int repetitions, string? sourcePath)
    {
        var model = MnistMlpStep.Model();
        var capture = new CapturingBackend();
        MnistMlpStep.Compile(model, capture).Dispose();
        var graph = capture.Graph!;
        using var program = (CpuProgram)Backend.Cpu.Compile(graph);
        var source = program.Source;
        if (sourcePath is not null)
        {
            File.WriteAllText(sourcePath, source);
        }
        var key = KernelCache.Key(source);
        var tree = CompiledProgram.Parse(source, graph.Name);
        byte[] image = Emit(CompiledProgram.CreateCompilation(tree, key));

        var rows = new List<(string Stage, double Ms)>
        {
            ("compile, cache hit (all of it)", Median(repetitions, () => MnistMlpStep.Compile(model).Dispose())),
            ("  trace + autodiff + optimizer + simplify", Median(repetitions, () => MnistMlpStep.Compile(model, capture).Dispose())),
            ("  backend (CpuBackend.Compile, cache hit)", Median(repetitions, () => Backend.Cpu.Compile(graph).Dispose())),
            ("  graph text (the pass manager prints it after each pass)", Median(repetitions, () => graph.ToString())),
            ("    fusion planning", Median(repetitions, () => FusionPlanner.Plan(graph, CpuCapabilities.For(gemm: true), fuse: true))),
            ("    fusion planning, node probes only (no body checks)", Median(repetitions,
                () => FusionPlanner.Plan(graph, CpuCapabilities.For(gemm: true) with { Check = _ => null }, fuse: true))),
            ("    fusion planning without lowering probes", Median(repetitions, () => FusionPlanner.Plan(graph, FusionCapabilities.Any, fuse: true))),
            ("    cache key (SHA-256 of the source)", Median(repetitions, () => KernelCache.Key(source))),
            ("    cache read + checksum", Median(repetitions, () => KernelCache.TryLoad(source))),
            ("    assembly load + binding", Median(repetitions, () => LoadAndBind(image))),
            ("Roslyn parse", Median(repetitions, () => CompiledProgram.Parse(source, graph.Name))),
            ("Roslyn bind (diagnostics)", Median(repetitions, () => CompiledProgram.CreateCompilation(tree, key).GetDiagnostics())),
            ("Roslyn bind + emit", Median(repetitions, () => Emit(CompiledProgram.CreateCompilation(tree, key)))),
        };
        Console.WriteLine(Invariant($"MNIST MLP training step: {graph.Nodes.Count} nodes, {program.Kernels.Count} generated kernels, {source.Length} chars of C#; medians of {repetitions} warm runs"));
        foreach (var (stage, ms) in rows)
        {
            Console.WriteLine(Invariant($"{stage,-58} {ms,9:F2} ms"));
        }
        Console.WriteLine("Per pass (one warm run):");
        var passLog = new StringWriter();
        Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Adam(1e-3),
            HostTensor.Zeros(new TensorType(DType.F32, 64, 784)), HostTensor.Zeros(new TensorType(DType.I64, 64)),
            new CompileOptions { Backend = capture, Passes = PassOptions.Default with { Statistics = true, Log = passLog } }).Dispose();
        Console.Write(passLog);
    }

    private static byte[] Emit(Microsoft.CodeAnalysis.Compilation compilation)
    {
        using var stream = new MemoryStream();
        if (!compilation.Emit(stream).Success)
        {
            throw new InvalidOperationException("the generated kernels do not compile");
        }
        return stream.ToArray();
    }

    /// <summary>What <see cref="CompiledProgram"/> does after it has the image: a collectible context, the load, one function pointer per public method.</summary>
    private static void LoadAndBind(byte[] image)
    {
        var context = new AssemblyLoadContext("breakdown", isCollectible: true);
        var type = context.LoadFromStream(new MemoryStream(image)).GetType("GraphDL.Generated.Kernels")!;
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            method.MethodHandle.GetFunctionPointer();
        }
        context.Unload();
    }

    private static double Median(int repetitions, Action action)
    {
        action();
        var times = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repetitions / 2];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A backend that keeps the graph and compiles nothing: the front end's time alone.</summary>
    private sealed class CapturingBackend : IBackend
    {
        public Graph? Graph { get; private set; }

        public string Name => "capture";

        public IExecutable Compile(Graph graph)
        {
            Graph = graph;
            return new Uncompiled(graph);
        }

        private sealed class Uncompiled(Graph graph) : IExecutable
        {
            public Graph Graph => graph;

            public IReadOnlyList<HostTensor> Run(IReadOnlyList<HostTensor> inputs) => throw new NotSupportedException("the capturing backend compiles nothing");

            public void Dispose()
            {
            }
        }
    }
}
