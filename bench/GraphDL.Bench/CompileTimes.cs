using System.Diagnostics;
using System.Globalization;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Bench;

/// <summary>
/// <c>--compile-times</c>: the compile time of the course models' training steps, each in this process after one JIT
/// warm-up compile: cold (an empty kernel cache of the model's own, so every distinct kernel goes through Roslyn) and
/// warm (the same compile again, its image loaded from the cache: the median of five, in wall time, in CPU time and
/// in bytes allocated), with the program's steps and distinct generated kernels. Models: the MNIST MLP step, the
/// MNIST CNN step, and a character LSTM (Embedding 39→32, LSTM 128, batch 32) at sequence lengths 32 and 64.
/// <c>--compile-times T=64</c> measures only the models whose name contains the argument.
/// </summary>
public static class CompileTimes
{
    private const int WarmRuns = 5;

    private sealed record Model(string Name, Func<CompileOptions, ICompiledStep> Compile);

    private interface ICompiledStep : IDisposable
    {
        Codegen.Programs.ProgramDescription? Program { get; }
    }

    private sealed class Step<T>(TrainStep<T> step) : ICompiledStep where T : Module
    {
        public Codegen.Programs.ProgramDescription? Program => step.Program;

        public void Dispose() => step.Dispose();
    }

    /// <param name="only">When given, only the models whose name contains it (e.g. <c>T=64</c>).</param>
    public static void Print(string? only = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "graphdl-compile-times-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", root);
        Model[] models =
        [
            new("MNIST MLP step (784-128-10, Adam, B=64)", MnistMlp),
            new("MNIST CNN step (conv 32, conv 64, linear; SGD, B=64)", MnistCnn),
            new("char LSTM step (Embedding 39->32, LSTM 128, B=32, T=32)", o => CharLstm(o, 32)),
            new("char LSTM step (Embedding 39->32, LSTM 128, B=32, T=64)", o => CharLstm(o, 64)),
        ];
        // JIT warm-up (GraphDL, Roslyn) on the smallest model, so the first row is not charged for it.
        Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE", "0");
        models[0].Compile(new CompileOptions()).Dispose();
        Environment.SetEnvironmentVariable("GRAPHDL_KERNEL_CACHE", null);
        Console.WriteLine("| training step | cold (empty cache) | warm (cache hit) | warm, CPU time | warm, allocated | steps per run | distinct kernels |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        try
        {
            foreach (var model in models.Where(m => only is null || m.Name.Contains(only, StringComparison.Ordinal)))
            {
                // A cache of the model's own: the T=64 LSTM's kernels are the T=32 one's, so a shared cache would
                // make its "cold" compile a warm one.
                Environment.SetEnvironmentVariable("GRAPHDL_CACHE", Path.Combine(root, model.Name.GetHashCode().ToString("x8", CultureInfo.InvariantCulture)));
                var (cold, _, _, program) = Time(model);
                var (steps, kernels) = (program.Program!.Steps.Count, program.Program.Kernels.Count);
                program.Dispose();
                // Warm: the median of five compiles, each loading its image from the cache. Each program is dropped
                // before the next compile, as in a process that compiles once: five live programs would make every
                // garbage collection in the later compiles mark four more of them.
                var warms = new List<(double Seconds, double CpuSeconds, long Allocated)>();
                for (int i = 0; i < WarmRuns; i++)
                {
                    var (seconds, cpuSeconds, allocated, again) = Time(model);
                    again.Dispose();
                    warms.Add((seconds, cpuSeconds, allocated));
                }
                double warm = warms.Select(w => w.Seconds).Order().ElementAt(WarmRuns / 2);
                double warmCpu = warms.Select(w => w.CpuSeconds).Order().ElementAt(WarmRuns / 2);
                long warmBytes = warms.Select(w => w.Allocated).Order().ElementAt(WarmRuns / 2);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {model.Name} | {cold:F2} s | {warm:F2} s | {warmCpu:F2} s | {warmBytes / (1 << 20)} MiB | {steps} | {kernels} |"));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Wall time, the process's CPU time over it (on a machine shared with other work the wall time of a
    /// single-threaded (warm) compile stretches, its CPU time much less) and the bytes allocated.
    /// </summary>
    private static (double Seconds, double CpuSeconds, long Allocated, ICompiledStep Program) Time(Model model)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var program = model.Compile(new CompileOptions());
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalSeconds, allocated, program);
    }

    private static ICompiledStep MnistMlp(CompileOptions options) => new Step<Sequential>(MnistMlpStep.Compile(MnistMlpStep.Model()));

    private static ICompiledStep MnistCnn(CompileOptions options)
    {
        Init.ManualSeed(0);
        var model = new Sequential(
            new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(1600, 10));
        return new Step<Sequential>(Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Sgd(0.01),
            HostTensor.Zeros(new TensorType(DType.F32, 64, 1, 28, 28)), HostTensor.Zeros(new TensorType(DType.I64, 64)), options));
    }

    private static ICompiledStep CharLstm(CompileOptions options, int steps)
    {
        Init.ManualSeed(0);
        var model = new Sequential(new Embedding(39, 32), new LSTM(32, 128, batchFirst: true), new Linear(128, 39));
        return new Step<Sequential>(Compiler.TrainStep(model, (m, tokens, labels) => F.CrossEntropy(m.Forward(tokens).Reshape(32 * steps, 39), labels), new Adam(1e-3),
            HostTensor.Zeros(new TensorType(DType.I64, 32, steps)), HostTensor.Zeros(new TensorType(DType.I64, 32 * steps)), options));
    }
}
