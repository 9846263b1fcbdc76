using BenchmarkDotNet.Attributes;

namespace GraphDL.Bench;

/// <summary>
/// Compile time of the MNIST MLP training step (trace → autodiff → optimizer → simplify → fusion plan → lowering →
/// C# rendering → Roslyn → load). <see cref="Cold"/> misses the on-disk kernel cache on every invocation (a fresh,
/// empty cache directory each time), so Roslyn parses, binds and emits the kernels; Roslyn's own code is JIT-compiled
/// once by the global setup, so this is "Roslyn emit not cached", not a fresh process (the script
/// bench/compile-time.sh measures that with <c>--cold-process</c>). <see cref="CacheHit"/> is the same compile with
/// the cache warm: everything but Roslyn runs.
/// </summary>
[Config(typeof(BenchConfig))]
public class CompileTimeBenchmarks
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "graphdl-compile-bench-" + Guid.NewGuid().ToString("N"));
    private string? _previousCache;
    private Sequential _model = null!;
    private int _coldRuns;

    [GlobalSetup]
    public void Setup()
    {
        _previousCache = Environment.GetEnvironmentVariable("GRAPHDL_CACHE");
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", Path.Combine(_root, "warm"));
        _model = MnistMlpStep.Model();
        // Warms the JIT (GraphDL and Roslyn) and fills the warm cache.
        MnistMlpStep.Compile(_model).Dispose();
    }

    [Benchmark]
    public void Cold()
    {
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", Path.Combine(_root, "cold" + _coldRuns++));
        MnistMlpStep.Compile(_model).Dispose();
    }

    [Benchmark(Baseline = true)]
    public void CacheHit()
    {
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", Path.Combine(_root, "warm"));
        MnistMlpStep.Compile(_model).Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Environment.SetEnvironmentVariable("GRAPHDL_CACHE", _previousCache);
        Directory.Delete(_root, recursive: true);
    }
}
