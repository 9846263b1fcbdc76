using GraphDL.Codegen.Kernels;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// The GEMM epilogue hook with a hand-written epilogue, c = max(c + bias[column], 0), that also counts its calls
/// per element: every element of C must be passed exactly once (1 and 2 threads, every micro-kernel width, edge
/// tiles, several k, A and B blocks, batches side by side or split, a shared C) and only when final — an epilogue
/// called before the last k block would apply the ReLU to a partial sum and miss the tolerance.
/// </summary>
public unsafe class GemmEpilogueTests
{
    private static readonly GemmIsa[] Isas = [GemmIsa.Vector512, GemmIsa.Vector256, GemmIsa.Vector128];

    /// <summary>m, n, k: one tile, edges, k over one block (512), m over one A block (1024), n over one B block.</summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(15, 33, 7)]
    [InlineData(64, 128, 784)]
    [InlineData(37, 70, 1100)]
    [InlineData(1030, 40, 20)]
    [InlineData(20, 1100, 30)]
    [InlineData(5, 9, 0)]
    public void EveryElementOnceAndFinal(int m, int n, int k)
    {
        foreach (var isa in Isas)
            foreach (int threads in new[] { 1, 2 })
                Check(batch: 1, m, n, k, itemsA: 0, sharedC: false, threads, isa);
    }

    /// <summary>Batches of 3 (each item split across threads) and 4 (items side by side), and a shared C.</summary>
    [Theory]
    [InlineData(3, false)]
    [InlineData(4, false)]
    [InlineData(3, true)]
    public void BatchedEveryElementOnceAndFinal(int batch, bool sharedC)
    {
        foreach (var isa in Isas)
            foreach (int threads in new[] { 1, 2 })
                Check(batch, 100, 70, 600, itemsA: 1, sharedC, threads, isa);
    }

    private static void Check(int batch, int m, int n, int k, int itemsA, bool sharedC, int threads, GemmIsa isa)
    {
        var random = new Random(HashCode.Combine(batch, m, n, k, sharedC));
        int ldc = n + 3, cItems = sharedC ? 1 : batch;
        long strideA = itemsA * (long)m * k, strideB = (long)k * n, strideC = sharedC ? 0 : (long)m * ldc;
        var a = Random(random, (int)((batch - 1) * strideA + m * k));
        var b = Random(random, batch * k * n);
        var bias = Random(random, n);
        var c = new float[cItems * m * ldc];
        Array.Fill(c, float.NaN);
        var counts = new int[cItems * m * n];
        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        fixed (int* pcounts = counts)
        {
            nint* args = stackalloc nint[] { (nint)pc, ldc, (nint)pbias, (nint)pcounts, n, m, (nint)strideC };
            var epilogue = new GemmEpilogue(&BiasRelu, args);
            Gemm.SgemmBatched(batch, m, n, k, pa, Math.Max(1, k), false, pb, n, false, pc, ldc, false, threads,
                strideA, strideB, strideC, isa, epilogue);
        }

        string what = $"batch {batch}, {m}x{n}x{k}, shared C {sharedC}, {threads} thread(s), {isa}";
        Assert.True(counts.All(count => count == 1), $"{what}: counts {string.Join(",", counts.Distinct())}");
        double u2 = Math.ScaleB(1.0, -23);
        for (int item = 0; item < cItems; item++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double exact = bias[j], magnitude = Math.Abs(bias[j]);
                    foreach (int t in sharedC ? Enumerable.Range(0, batch) : [item])
                        for (int p = 0; p < k; p++)
                        {
                            double product = (double)a[t * strideA + i * k + p] * b[t * strideB + p * n + j];
                            exact += product;
                            magnitude += Math.Abs(product);
                        }

                    double expected = Math.Max(exact, 0), actual = c[item * m * ldc + i * ldc + j];
                    double bound = (k * (sharedC ? batch : 1) + 2) * u2 * magnitude;
                    if (!(Math.Abs(actual - expected) <= bound))
                        Assert.Fail($"{what}: C[{item},{i},{j}] = {actual}, expected {expected} ± {bound}");
                }
    }

    /// <summary>
    /// args: C, ldc, bias, per-element call counts, n, m, C stride. Row r of the stacked batch is item r / m's row
    /// r % m.
    /// </summary>
    private static void BiasRelu(nint* args, long r0, long r1, long c0, long c1)
    {
        float* c = (float*)args[0], bias = (float*)args[2];
        int* counts = (int*)args[3];
        long ldc = args[1], n = args[4], m = args[5], strideC = args[6];
        for (long r = r0; r < r1; r++)
        {
            float* row = c + r / m * strideC + r % m * ldc;
            for (long j = c0; j < c1; j++)
            {
                row[j] = MathF.Max(row[j] + bias[j], 0);
                Interlocked.Increment(ref counts[r * n + j]);
            }
        }
    }

    private static float[] Random(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
