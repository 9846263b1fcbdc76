using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace GraphDL.Bench;

/// <summary>
/// The FMA peak the GEMM is measured against: each worker runs 12 independent chains of Vector512 FMAs (enough to
/// hide the FMA latency on every AVX-512 core), nothing else but the loop counter. Flops count 2 per lane per FMA.
/// Workers start through Parallel.For, as the GEMM's do.
/// </summary>
[Config(typeof(GemmBenchConfig))]
public class GemmFmaPeakBenchmarks
{
    private const int Chains = 12;

    private const int Steps = 2_000_000;

    [Params(1, 2)]
    public int Threads { get; set; }

    public static double FlopsPerInvocation(int threads) => 2.0 * Vector512<float>.Count * Chains * Steps * threads;

    [Benchmark]
    public float FmaPeak()
    {
        var sums = new float[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, w => sums[w] = Chains12());
        return sums.Sum();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Chains12()
    {
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512<float>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector512<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < Steps; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, x, y);
            c1 = Vector512.FusedMultiplyAdd(c1, x, y);
            c2 = Vector512.FusedMultiplyAdd(c2, x, y);
            c3 = Vector512.FusedMultiplyAdd(c3, x, y);
            c4 = Vector512.FusedMultiplyAdd(c4, x, y);
            c5 = Vector512.FusedMultiplyAdd(c5, x, y);
            c6 = Vector512.FusedMultiplyAdd(c6, x, y);
            c7 = Vector512.FusedMultiplyAdd(c7, x, y);
            c8 = Vector512.FusedMultiplyAdd(c8, x, y);
            c9 = Vector512.FusedMultiplyAdd(c9, x, y);
            c10 = Vector512.FusedMultiplyAdd(c10, x, y);
            c11 = Vector512.FusedMultiplyAdd(c11, x, y);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
