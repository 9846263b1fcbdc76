using System.Runtime.CompilerServices;
namespace GraphDL.Codegen.Kernels;

/// <summary>
/// Single-precision matrix multiplication for generated kernels: C = op(A)·op(B) (+ C), all row-major, reached
/// through raw pointers.
/// </summary>
/// <remarks>
/// <para>
/// The algorithm is the GotoBLAS/BLIS one. The k axis is cut into blocks of <see cref="BlockK"/>; for each, a block
/// of op(A) (up to <see cref="BlockM"/> rows) is packed into panels of <c>mr</c> rows and a block of op(B) (up to
/// <see cref="BlockN"/> columns) into panels of <c>nr</c> columns, each panel contiguous in the order the
/// micro-kernel reads it and zero-padded to a whole panel. The micro-kernel keeps an <c>mr</c>×<c>nr</c> tile of C
/// in registers (8×32 with Vector512: 16 accumulators) and, per step of k, broadcasts <c>mr</c> values of A against
/// two vectors of B. One A micro-panel (8×512 floats, 16 KiB) stays in L1 while the kernel sweeps the B block.
/// </para>
/// <para>
/// The sizes were tuned on the 2-core AVX-512 machine (Zen 4: 32 KiB L1d, 1 MiB L2 per core, 32 MiB L3) at
/// 1024³: the micro-kernel alone runs at 97–100% of the FMA peak, so what is left is packing and C traffic. A
/// k block of 512 halves the passes over C against 256, and a 512×1024 B block (2 MiB, more than L2) measured a
/// few percent faster than an L2-sized 384×512 one: the kernel streams only about 8 bytes of B per cycle.
/// </para>
/// <para>
/// Transposed operands are never materialized: packing reads them with the other stride. Edge tiles (m or n not a
/// multiple of the panel) are computed whole on the zero padding into a scratch tile, of which the valid corner is
/// written. Work of at least <see cref="ParallelFlops"/> flops is split into <c>threads</c> independent sub-products
/// over row panels (or column panels when C is wide and short), each with its own packing buffers; every element
/// is computed in the same order whatever the split, so results do not depend on the thread count.
/// </para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Depth of a packed block: the A micro-panel (8 × 512 floats, 16 KiB) stays in half of L1.</summary>
    internal const int BlockK = 512;

    /// <summary>Rows of op(A) packed at once; m up to this is packed once per k block.</summary>
    internal const int BlockM = 1024;

    /// <summary>Columns of op(B) packed at once (BlockK × BlockN floats, 2 MiB: L2 and L3).</summary>
    internal const int BlockN = 1024;

    /// <summary>Below this many flops (2·m·n·k) a product runs on the calling thread.</summary>
    internal const double ParallelFlops = 1e6;

    /// <summary>
    /// C (m×n, leading dimension <paramref name="ldc"/>) = op(A)·op(B), plus the old C when
    /// <paramref name="accumulate"/>. op(A) is m×k: A is m×k row-major, or k×m when <paramref name="transA"/>.
    /// op(B) is k×n: B is k×n row-major, or n×k when <paramref name="transB"/>. Leading dimensions are the row
    /// pitch, in elements, of the stored matrix. With k = 0, C becomes zero (or is left unchanged when
    /// accumulating). Without <paramref name="accumulate"/> the old C is never read, so it may hold garbage.
    /// <paramref name="threads"/> (at least 1) bounds the workers; products under 10⁶ flops use only the calling
    /// thread. An <paramref name="epilogue"/>, when set, is called once per finished tile of C (see
    /// <see cref="GemmEpilogue"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sgemm(
        int m, int n, int k,
        float* a, int lda, bool transA,
        float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate, int threads, GemmEpilogue epilogue = default)
        => Sgemm(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, threads, BestIsa, epilogue);

    /// <summary>
    /// A batch of <c>Sgemm</c> products: item i uses A + i·<paramref name="strideA"/>,
    /// B + i·<paramref name="strideB"/> and C + i·<paramref name="strideC"/> (strides in elements). A stride of 0
    /// broadcasts that operand to every item. A C stride of 0 (with more than one item) sums the products into the
    /// one C: C = Σᵢ op(Aᵢ)·op(Bᵢ) (+ C), as the gradient of a broadcast weight needs. Otherwise the C items must
    /// not overlap: items may run side by side. The <paramref name="epilogue"/> sees item i's row r as row i·m + r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SgemmBatched(
        int batch, int m, int n, int k,
        float* a, int lda, bool transA,
        float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate, int threads,
        long strideA, long strideB, long strideC, GemmEpilogue epilogue = default)
        => SgemmBatched(batch, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, threads,
            strideA, strideB, strideC, BestIsa, epilogue);

    /// <summary><c>Sgemm</c> with the micro-kernel width chosen by the caller (tests cover each width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Sgemm(
        int m, int n, int k,
        float* a, int lda, bool transA,
        float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate, int threads, GemmIsa isa, GemmEpilogue epilogue = default)
    {
        Validate(m, n, k, lda, transA, ldb, transB, ldc, threads);
        var problem = new Problem(m, n, k,
            new Operand(a, lda, transA), new Operand(b, ldb, transB), c, ldc, accumulate, isa, epilogue);
        Run(problem, threads);
    }

    /// <summary><c>SgemmBatched</c> with the micro-kernel width chosen by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SgemmBatched(
        int batch, int m, int n, int k,
        float* a, int lda, bool transA,
        float* b, int ldb, bool transB,
        float* c, int ldc, bool accumulate, int threads,
        long strideA, long strideB, long strideC, GemmIsa isa, GemmEpilogue epilogue = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(strideA);
        ArgumentOutOfRangeException.ThrowIfNegative(strideB);
        ArgumentOutOfRangeException.ThrowIfNegative(strideC);
        Validate(m, n, k, lda, transA, ldb, transB, ldc, threads);
        if (batch == 0)
            return;

        // A shared C is finished only after the last item, so only that item carries the epilogue.
        Problem Item(int i, bool addToC) => new(m, n, k,
            new Operand(a + i * strideA, lda, transA), new Operand(b + i * strideB, ldb, transB),
            c + i * strideC, ldc, addToC, isa, strideC != 0 || i == batch - 1 ? epilogue : default)
        {
            RowBase = strideC == 0 ? 0 : (long)i * m,
        };

        // Items that share one C must run one after another; each later item adds to what the earlier ones wrote.
        // Items with their own C run side by side, one item per worker, when they divide evenly among the workers
        // (or are many); otherwise each item is split across the workers in turn.
        double itemFlops = 2.0 * m * n * k;
        bool sideBySide = strideC != 0 && threads > 1 && batch > 1 && itemFlops * batch >= ParallelFlops
            && (batch % threads == 0 || batch >= 4 * threads);
        if (!sideBySide)
        {
            for (int i = 0; i < batch; i++)
                Run(Item(i, accumulate || (strideC == 0 && i > 0)), threads);
            return;
        }

        int workers = Math.Min(threads, batch);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            for (int i = (int)((long)batch * w / workers); i < (int)((long)batch * (w + 1) / workers); i++)
                Run(Item(i, accumulate), 1);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Validate(int m, int n, int k, int lda, bool transA, int ldb, bool transB, int ldc, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfLessThan(lda, Math.Max(1, transA ? m : k));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldb, Math.Max(1, transB ? k : n));
        ArgumentOutOfRangeException.ThrowIfLessThan(ldc, Math.Max(1, n));
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
    }

    /// <summary>Splits one product into independent sub-products (one per worker) and runs them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run(Problem problem, int threads)
    {
        if (problem.M == 0 || problem.N == 0)
            return;
        if (problem.K == 0)
        {
            if (!problem.Accumulate)
                for (int i = 0; i < problem.M; i++)
                    new Span<float>(problem.C + (nint)i * problem.Ldc, problem.N).Clear();
            problem.FinishTile(0, problem.M, 0, problem.N);
            return;
        }

        var (mr, nr) = MicroKernelShape(problem.Isa);
        int rowPanels = (problem.M + mr - 1) / mr, columnPanels = (problem.N + nr - 1) / nr;
        double flops = 2.0 * problem.M * problem.N * problem.K;
        // Splitting rows repacks all of B in every worker, splitting columns all of A: split the axis whose other
        // operand is smaller, as long as it has a panel for every worker.
        bool splitRows = rowPanels >= threads && (problem.M >= problem.N || columnPanels < threads);
        int workers = flops < ParallelFlops ? 1 : Math.Min(threads, Math.Max(splitRows ? rowPanels : columnPanels, 1));
        if (workers == 1)
        {
            RunBlocked(problem);
            return;
        }

        int panels = splitRows ? rowPanels : columnPanels, panelSize = splitRows ? mr : nr;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int first = (int)((long)panels * w / workers) * panelSize;
            int end = Math.Min((int)((long)panels * (w + 1) / workers) * panelSize, splitRows ? problem.M : problem.N);
            if (end > first)
                RunBlocked(splitRows ? problem.Rows(first, end - first) : problem.Columns(first, end - first));
        });
    }

    /// <summary>The cache-blocked loop nest on the calling thread: k blocks, then A blocks, then B blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBlocked(Problem p)
    {
        var (mr, nr) = MicroKernelShape(p.Isa);
        var buffers = (packing ??= new ThreadScratch()).Ensure(
            RoundUp(Math.Min(p.M, BlockM), mr) * Math.Min(p.K, BlockK),
            RoundUp(Math.Min(p.N, BlockN), nr) * Math.Min(p.K, BlockK));
        float* tile = stackalloc float[MaxTile];

        for (int pc = 0; pc < p.K; pc += BlockK)
        {
            int kc = Math.Min(BlockK, p.K - pc);
            bool addToC = p.Accumulate || pc > 0;
            bool lastK = pc + kc == p.K;
            for (int ic = 0; ic < p.M; ic += BlockM)
            {
                int mc = Math.Min(BlockM, p.M - ic);
                PackA(p.A, ic, pc, mc, kc, mr, buffers.First);
                for (int jc = 0; jc < p.N; jc += BlockN)
                {
                    int nc = Math.Min(BlockN, p.N - jc);
                    PackB(p.B, pc, jc, kc, nc, nr, buffers.Second);
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        float* aPanel = buffers.First + (nint)ir * kc;
                        int rows = Math.Min(mr, mc - ir);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            float* bPanel = buffers.Second + (nint)jr * kc;
                            float* cTile = p.C + (nint)(ic + ir) * p.Ldc + jc + jr;
                            int columns = Math.Min(nr, nc - jr);
                            if (rows == mr && columns == nr)
                            {
                                MicroKernel(p.Isa, kc, aPanel, bPanel, cTile, p.Ldc, addToC);
                            }
                            else
                            {
                                MicroKernel(p.Isa, kc, aPanel, bPanel, tile, nr, false);
                                MergeEdgeTile(tile, nr, rows, columns, cTile, p.Ldc, addToC);
                            }

                            if (lastK)
                                p.FinishTile(ic + ir, ic + ir + rows, jc + jr, jc + jr + columns);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Writes (or adds) the valid rows × columns corner of a scratch tile into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeEdgeTile(float* tile, int nr, int rows, int columns, float* c, int ldc, bool addToC)
    {
        for (int r = 0; r < rows; r++)
        {
            float* source = tile + r * nr;
            float* target = c + (nint)r * ldc;
            for (int j = 0; j < columns; j++)
                target[j] = addToC ? target[j] + source[j] : source[j];
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A stored matrix as the packing routines read it.</summary>
    /// <param name="data">First element.</param>
    /// <param name="ld">Row pitch of the stored matrix, in elements.</param>
    /// <param name="transposed">Whether the stored matrix is the transpose of the logical operand.</param>
    internal readonly struct Operand(float* data, int ld, bool transposed)
    {
        public float* Data { get; init; } = data;

        public int Ld { get; } = ld;

        public bool Transposed { get; } = transposed;

        /// <summary>Address of logical element (row, column).</summary>
        public float* At(int row, int column)
            => Transposed ? Data + (nint)column * Ld + row : Data + (nint)row * Ld + column;
    }

    /// <summary>
    /// One product C (m×n) = op(A)·op(B) (+ C); a sub-product knows where its C lies in the caller's (row and
    /// column base) so the epilogue gets the caller's coordinates.
    /// </summary>
    private readonly struct Problem(
        int m, int n, int k, Operand a, Operand b, float* c, int ldc, bool accumulate, GemmIsa isa,
        GemmEpilogue epilogue)
    {
        public int M { get; init; } = m;

        public int N { get; init; } = n;

        public int K { get; } = k;

        public Operand A { get; init; } = a;

        public Operand B { get; init; } = b;

        public float* C { get; init; } = c;

        public int Ldc { get; } = ldc;

        public bool Accumulate { get; } = accumulate;

        public GemmIsa Isa { get; } = isa;

        public GemmEpilogue Epilogue { get; } = epilogue;

        /// <summary>Row of the caller's C that is row 0 of this product's.</summary>
        public long RowBase { get; init; }

        /// <summary>Column of the caller's C that is column 0 of this product's.</summary>
        public long ColumnBase { get; init; }

        /// <summary>The sub-product for rows [first, first + count) of C.</summary>
        public Problem Rows(int first, int count)
            => this with
            {
                M = count, A = A with { Data = A.At(first, 0) }, C = C + (nint)first * Ldc, RowBase = RowBase + first,
            };

        /// <summary>The sub-product for columns [first, first + count) of C.</summary>
        public Problem Columns(int first, int count)
            => this with
            {
                N = count, B = B with { Data = B.At(0, first) }, C = C + first, ColumnBase = ColumnBase + first,
            };

        /// <summary>Hands rows [r0, r1) × columns [c0, c1) of this product's C, now final, to the epilogue.</summary>
        public void FinishTile(int r0, int r1, int c0, int c1)
        {
            if (Epilogue.IsSet)
                Epilogue.Invoke(RowBase + r0, RowBase + r1, ColumnBase + c0, ColumnBase + c1);
        }
    }
}
