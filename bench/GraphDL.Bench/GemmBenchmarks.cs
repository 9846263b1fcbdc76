using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using GraphDL.Codegen.Kernels;

namespace GraphDL.Bench;

/// <summary>One GEMM shape: C (m×n) = op(A)·op(B) with op(A) m×k and op(B) k×n.</summary>
public sealed record GemmShape(int M, int N, int K, bool TransA = false, bool TransB = false)
{
    public double Flops => 2.0 * M * N * K;

    public override string ToString() => $"{M}x{N}x{K} {(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')}";
}

/// <summary>
/// <see cref="Gemm.Sgemm(int, int, int, float*, int, bool, float*, int, bool, float*, int, bool, int, GemmEpilogue)"/> on a
/// large square product and on the MNIST MLP's (784-128-10, batch 64) first layer: the forward product
/// x·W₁ (64×128×784) and the weight gradient xᵀ·dh (784×128×64, A transposed), with its untransposed twin.
/// </summary>
[Config(typeof(GemmBenchConfig))]
public unsafe class GemmBenchmarks
{
    private float* a, b, c;

    public static IEnumerable<GemmShape> Shapes() =>
    [
        new(1024, 1024, 1024),
        new(64, 128, 784),
        new(784, 128, 64),
        new(784, 128, 64, TransA: true),
    ];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = new(1, 1, 1);

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        a = Allocate((long)Shape.M * Shape.K);
        b = Allocate((long)Shape.K * Shape.N);
        c = Allocate((long)Shape.M * Shape.N);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(a);
        NativeMemory.AlignedFree(b);
        NativeMemory.AlignedFree(c);
    }

    [Benchmark]
    public void Sgemm()
    {
        var s = Shape;
        Gemm.Sgemm(s.M, s.N, s.K, a, s.TransA ? s.M : s.K, s.TransA, b, s.TransB ? s.K : s.N, s.TransB,
            c, s.N, accumulate: false, Threads);
    }

    private static float* Allocate(long count)
    {
        var data = (float*)NativeMemory.AlignedAlloc((nuint)(count * sizeof(float)), 64);
        var random = new Random(42);
        for (long i = 0; i < count; i++)
            data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
