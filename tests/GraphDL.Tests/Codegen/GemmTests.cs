using GraphDL.Codegen.Kernels;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// <see cref="Gemm"/> against a triple loop in double, on every micro-kernel width (Vector512, Vector256,
/// Vector128; a width the machine lacks runs in software, slowly but with the same results), 1 and 2 threads,
/// all four transpose combinations, padded leading dimensions and accumulation.
/// </summary>
/// <remarks>
/// Tolerance: each C element is a float dot product of length k (plus the old C when accumulating), computed with
/// FMAs in blocks. The classical bound for such a sum is |ĉ − c| ≤ γ₍ₖ₊₁₎·(Σₚ |aᵢₚ·bₚⱼ| + |c_old|), with
/// γₙ = n·u/(1 − n·u) and u = 2⁻²⁴ the unit roundoff of float. We allow twice that:
/// |ĉ − c| ≤ (k + 1)·2⁻²³·(Σₚ |aᵢₚ·bₚⱼ| + |c_old|). The inputs are floats, so the double reference is exact to
/// about 2⁻⁵³ relative, far below the bound.
/// </remarks>
public class GemmTests
{
    private static readonly GemmIsa[] Isas = [GemmIsa.Vector512, GemmIsa.Vector256, GemmIsa.Vector128];

    /// <summary>
    /// m, n, k: awkward edges; one or several k blocks (k > 512); more than one A block (m > 1024) and B block
    /// (n > 1024).
    /// </summary>
    public static TheoryData<int, int, int, bool, bool> Shapes()
    {
        int[][] sizes =
        [
            [1, 1, 1], [1, 17, 3], [15, 33, 7], [64, 128, 784], [127, 129, 65], [1000, 1, 1000], [9, 40, 800],
            [1030, 40, 20], [20, 1100, 30],
        ];
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (var s in sizes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    data.Add(s[0], s[1], s[2], transA, transB);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesDoubleReference(int m, int n, int k, bool transA, bool transB)
    {
        var random = new Random(HashCode.Combine(m, n, k, transA, transB));
        var opA = RandomMatrix(random, m, k);
        var opB = RandomMatrix(random, k, n);
        var exact = Product(opA, opB, m, n, k);
        var magnitude = AbsoluteProduct(opA, opB, m, n, k);

        foreach (bool padded in new[] { false, true })
        {
            int pad = padded ? 3 : 0;
            var (a, lda) = Store(opA, m, k, transA, pad);
            var (b, ldb) = Store(opB, k, n, transB, pad);
            int ldc = n + pad;
            foreach (bool accumulate in new[] { false, true })
            {
                var oldC = RandomC(random, m, n, ldc, accumulate);
                foreach (var isa in Isas)
                {
                    float[]? single = null;
                    foreach (int threads in new[] { 1, 2 })
                    {
                        var c = (float[])oldC.Clone();
                        Gemm.Sgemm(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, threads, isa);
                        string what = $"{isa}, {threads} thread(s), ld pad {pad}, accumulate {accumulate}";
                        AssertClose(c, oldC, exact, magnitude, m, n, k, ldc, accumulate, what);

                        // Every split computes each element in the same order, so threads do not change the bits.
                        if (single is null)
                            single = c;
                        else
                            Assert.True(single.AsSpan().SequenceEqual(c), $"{what}: differs from 1 thread");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyDepthGivesZerosOrLeavesC(bool accumulate)
    {
        foreach (var isa in Isas)
        {
            var c = new[] { 1f, 2f, 3f, 4f, 5f, 6f, float.NaN };
            Gemm.Sgemm(2, 3, 0, ReadOnlySpan<float>.Empty, 1, false, ReadOnlySpan<float>.Empty, 3, false,
                c, 3, accumulate, 2, isa);
            float[] expected = accumulate ? [1, 2, 3, 4, 5, 6, float.NaN] : [0, 0, 0, 0, 0, 0, float.NaN];
            Assert.Equal(expected, c);
        }
    }

    [Fact]
    public void EmptyOutputTouchesNothing()
    {
        var c = new[] { float.NaN };
        Gemm.Sgemm(0, 5, 7, ReadOnlySpan<float>.Empty, 7, false, new float[35], 5, false, c, 5, false, 1);
        Gemm.Sgemm(4, 0, 7, new float[28], 7, false, ReadOnlySpan<float>.Empty, 1, false, c, 1, false, 1);
        Assert.True(float.IsNaN(c[0]));
    }

    /// <summary>
    /// Batches of 3 (each item split across the threads) and 4 (items side by side), with A or B broadcast
    /// (stride 0) and with C shared (stride 0: the products are summed into it).
    /// </summary>
    [Theory]
    [InlineData(3, 0L, 1L, 1L)]
    [InlineData(4, 0L, 1L, 1L)]
    [InlineData(3, 1L, 0L, 1L)]
    [InlineData(4, 1L, 0L, 1L)]
    [InlineData(3, 1L, 1L, 0L)]
    [InlineData(4, 1L, 1L, 0L)]
    public void BatchedWithBroadcastStrides(int batch, long itemsA, long itemsB, long itemsC)
    {
        const int m = 100, n = 70, k = 80;
        var random = new Random(batch);
        foreach (var (transA, transB) in new[] { (false, false), (true, true) })
        {
            var opA = Enumerable.Range(0, batch).Select(_ => RandomMatrix(random, m, k)).ToArray();
            var opB = Enumerable.Range(0, batch).Select(_ => RandomMatrix(random, k, n)).ToArray();
            int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 3;
            long strideA = itemsA * (transA ? k : m) * lda, strideB = itemsB * (transB ? n : k) * ldb;
            long strideC = itemsC * m * ldc;
            var a = StoreBatch(opA, m, k, transA, lda, strideA, batch);
            var b = StoreBatch(opB, k, n, transB, ldb, strideB, batch);
            int cItems = itemsC == 0 ? 1 : batch;
            var oldC = RandomC(random, m * cItems, n, ldc, accumulate: true);

            foreach (bool accumulate in new[] { false, true })
                foreach (int threads in new[] { 1, 2 })
                    foreach (var isa in Isas)
                    {
                        var c = (float[])oldC.Clone();
                        Gemm.SgemmBatched(batch, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate,
                            threads, strideA, strideB, strideC, isa);
                        for (int item = 0; item < cItems; item++)
                        {
                            // With a shared C, item 0 holds the sum of every product.
                            int[] terms = itemsC == 0 ? Enumerable.Range(0, batch).ToArray() : [item];
                            var exact = new double[m * n];
                            var magnitude = new double[m * n];
                            foreach (int t in terms)
                            {
                                var ta = opA[itemsA == 0 ? 0 : t];
                                var tb = opB[itemsB == 0 ? 0 : t];
                                Add(exact, Product(ta, tb, m, n, k));
                                Add(magnitude, AbsoluteProduct(ta, tb, m, n, k));
                            }

                            int offset = item * m * ldc;
                            AssertClose(c.AsSpan(offset, m * ldc).ToArray(), oldC.AsSpan(offset, m * ldc).ToArray(),
                                exact, magnitude, m, n, k * terms.Length, ldc, accumulate,
                                $"batch {batch}, item {item}, {isa}, {threads} thread(s), accumulate {accumulate}");
                        }
                    }
        }
    }

    [Fact]
    public void RejectsShortLeadingDimensionsAndSpans()
    {
        var buffer = new float[100];
        Assert.Throws<ArgumentOutOfRangeException>(
            () => Gemm.Sgemm(4, 5, 6, buffer, 5, false, buffer, 5, false, buffer, 5, false, 1));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => Gemm.Sgemm(4, 5, 6, buffer, 3, true, buffer, 5, false, buffer, 5, false, 1));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => Gemm.Sgemm(4, 5, 6, buffer, 6, false, buffer, 5, false, buffer, 5, false, 0));
        Assert.Throws<ArgumentException>(
            () => Gemm.Sgemm(4, 5, 6, buffer, 6, false, buffer, 5, false, new float[19], 5, false, 1));
        Assert.Throws<ArgumentException>(
            () => Gemm.SgemmBatched(2, 4, 5, 6, buffer, 6, false, buffer, 5, false, buffer, 5, false, 1, 80, 0, 20));
    }

    private static void AssertClose(
        float[] c, float[] oldC, double[] exact, double[] magnitude, int m, int n, int k, int ldc, bool accumulate,
        string what)
    {
        double u2 = Math.ScaleB(1.0, -23);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double old = accumulate ? oldC[i * ldc + j] : 0;
                double expected = exact[i * n + j] + old;
                double bound = (k + 1) * u2 * (magnitude[i * n + j] + Math.Abs(old));
                double actual = c[i * ldc + j];
                if (!(Math.Abs(actual - expected) <= bound))
                    Assert.Fail($"{what}: C[{i},{j}] = {actual}, expected {expected} ± {bound}");
            }

            // Past column n, C's rows are the caller's: never written.
            for (int j = n; j < ldc; j++)
                if (BitConverter.SingleToInt32Bits(c[i * ldc + j]) != BitConverter.SingleToInt32Bits(oldC[i * ldc + j]))
                    Assert.Fail($"{what}: C[{i},{j}] past the last column was written");
        }
    }

    /// <summary>A logical m×k matrix (row-major, float values held in double).</summary>
    private static double[] RandomMatrix(Random random, int rows, int columns)
        => Enumerable.Range(0, rows * columns).Select(_ => (double)(float)(random.NextDouble() * 2 - 1)).ToArray();

    /// <summary>Old C for accumulation; without accumulation, NaN (it must never be read).</summary>
    private static float[] RandomC(Random random, int m, int n, int ldc, bool accumulate)
    {
        var c = new float[m * ldc];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
                c[i * ldc + j] = j >= n ? -7.5f : accumulate ? (float)(random.NextDouble() * 2 - 1) : float.NaN;
        return c;
    }

    /// <summary>
    /// Stores a logical rows×columns matrix as the GEMM reads it: row-major, or its transpose when transposed,
    /// with <paramref name="pad"/> NaN columns past each stored row (they must never be read).
    /// </summary>
    private static (float[] Data, int Ld) Store(double[] logical, int rows, int columns, bool transposed, int pad)
    {
        int ld = Math.Max(1, (transposed ? rows : columns) + pad);
        var stored = new float[StoredLength(rows, columns, transposed, ld)];
        Array.Fill(stored, float.NaN);
        StoreInto(stored, 0, logical, rows, columns, transposed, ld);
        return (stored, ld);
    }

    private static float[] StoreBatch(double[][] items, int rows, int columns, bool transposed, int ld, long stride,
        int batch)
    {
        var stored = new float[(batch - 1) * stride + StoredLength(rows, columns, transposed, ld)];
        Array.Fill(stored, float.NaN);
        for (int item = 0; item < (stride == 0 ? 1 : batch); item++)
            StoreInto(stored, (int)(item * stride), items[item], rows, columns, transposed, ld);
        return stored;
    }

    private static int StoredLength(int rows, int columns, bool transposed, int ld)
        => (transposed ? columns : rows) * ld;

    private static void StoreInto(float[] stored, int offset, double[] logical, int rows, int columns,
        bool transposed, int ld)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                stored[offset + (transposed ? j * ld + i : i * ld + j)] = (float)logical[i * columns + j];
    }

    private static double[] Product(double[] a, double[] b, int m, int n, int k) => Multiply(a, b, m, n, k, abs: false);

    private static double[] AbsoluteProduct(double[] a, double[] b, int m, int n, int k)
        => Multiply(a, b, m, n, k, abs: true);

    private static double[] Multiply(double[] a, double[] b, int m, int n, int k, bool abs)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++)
            {
                double aip = abs ? Math.Abs(a[i * k + p]) : a[i * k + p];
                for (int j = 0; j < n; j++)
                    c[i * n + j] += aip * (abs ? Math.Abs(b[p * n + j]) : b[p * n + j]);
            }

        return c;
    }

    private static void Add(double[] total, double[] term)
    {
        for (int i = 0; i < total.Length; i++)
            total[i] += term[i];
    }
}
