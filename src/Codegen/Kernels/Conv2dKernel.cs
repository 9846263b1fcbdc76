using System.Runtime.CompilerServices;
namespace GraphDL.Codegen.Kernels;

/// <summary>
/// Single-precision 2-D convolution (cross-correlation, NCHW input, OIHW weight, every attribute of the
/// <c>conv2d</c> op) by im2col and the packed <see cref="Gemm"/>.
/// </summary>
/// <remarks>
/// <para>
/// Why im2col rather than implicit GEMM: the packed GEMM already reaches most of the FMA peak and packs its
/// operands anyway, so one extra copy of the input (kh·kw times larger, but read once per k block from L2/L3)
/// buys every attribute combination with no new micro-kernel. For each batch item b and group g,
/// <c>Y[b, g] (O/G × OH·OW) = W[g] (O/G × D) · col (D × OH·OW)</c> with depth D = (C/G)·kh·kw, where col row
/// (c, i, j) holds the padded input at (c, y·sh + i·dh − top, x·sw + j·dw − left) for every output pixel (y, x),
/// zero on padding (padded taps are real zero terms, so 0·inf is NaN as the op defines). A 1×1 kernel with stride
/// 1 and no padding needs no col: the input itself is the D × H·W matrix.
/// </para>
/// <para>
/// When the output plane is much narrower than the GEMM's register tile (the weight gradient, whose "output" is
/// the kh×kw kernel), the product is computed transposed, <c>Yᵀ = colᵀ·W[g]ᵀ</c>, which reads the same col and
/// weight in place with the other strides; the small result is then transposed into Y.
/// </para>
/// <para>
/// Threads: with at least as many (batch, group) items as threads (and an even split), items run side by side,
/// each worker unfolding one item at a time into its own col (which stays in its L2) and multiplying on one
/// thread; otherwise items run one after another, the unfolding is split across the threads when large and
/// the GEMM uses all of them. Every output element is the same f32 dot product of length D in the GEMM's blocked
/// order however the work is split, so results do not depend on the thread count.
/// </para>
/// </remarks>
public static unsafe partial class Conv2dKernel
{
    /// <summary>An unfolding of at least this many floats is split across the threads.</summary>
    private const long ParallelUnfold = 1 << 16;

    /// <summary>
    /// y [N, O, OH, OW] = conv2d(x [N, C, H, W], w [O, C/G, kh, kw]) with the geometry's stride, padding, dilation
    /// and groups. All three are dense row-major; y is overwritten (its old contents are never read) and must not
    /// overlap x or w. <paramref name="threads"/> (at least 1) bounds the workers. Scratch (the unfolded input)
    /// is kept per thread and reused across calls.
    /// </summary>
    public static void Sconv2d(in Conv2dGeometry geometry, float* x, float* w, float* y, int threads) =>
        Sconv2d(geometry, x, w, y, threads, StackedFloats);

    /// <summary>The most floats a stacked col holds (64 MiB); more batch items are taken in several chunks.</summary>
    private const long StackedFloats = 1 << 24;

    /// <summary><c>Sconv2d</c> with the stacked col limited to <paramref name="stackedFloats"/> (tests cover the chunking).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Sconv2d(in Conv2dGeometry geometry, float* x, float* w, float* y, int threads, long stackedFloats)
    {
        geometry.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var plan = new Plan(geometry);
        if (geometry.OutputLength == 0)
            return;

        if (plan.Stacked)
        {
            plan.RunStacked(x, w, y, threads, stackedFloats);
            return;
        }

        int items = geometry.Batch * geometry.Groups;
        bool sideBySide = threads > 1 && items > 1 && geometry.Flops >= Gemm.ParallelFlops
            && (items % threads == 0 || items >= 4 * threads);
        if (!sideBySide)
        {
            for (int item = 0; item < items; item++)
                plan.RunItem(item, x, w, y, threads);
            return;
        }

        int workers = Math.Min(threads, items);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            for (int item = (int)((long)items * worker / workers); item < (int)((long)items * (worker + 1) / workers); item++)
                plan.RunItem(item, x, w, y, 1);
        });
    }

    /// <summary>One convolution as per-item GEMMs: the matrix shapes and how each item's product is taken.</summary>
    private readonly struct Plan
    {
        private readonly Conv2dGeometry _g;

        public Plan(Conv2dGeometry geometry)
        {
            _g = geometry;
            M = geometry.OutPerGroup;
            K = geometry.Depth;
            P = geometry.OutHeight * geometry.OutWidth;
            Direct = geometry is { KernelHeight: 1, KernelWidth: 1, StrideHeight: 1, StrideWidth: 1 }
                && geometry is { PadTop: 0, PadBottom: 0, PadLeft: 0, PadRight: 0 };
            Transposed = PrefersTransposed(M, P);
            Stacked = !Direct && P < M;
        }

        /// <summary>
        /// Whether batch items are stacked: their cols in one pixel-major (items·P) × K matrix, so one product per
        /// group packs the weight once for all of them. That pays when the output plane is smaller than the output
        /// channels (the weight gradient's kh×kw): each item's product would be too narrow for the register tile
        /// and would repack an M × K weight larger than its own col. Pixel-major, the unfolding copies runs of the
        /// kernel's width (11 for a 13×13 input's weight gradient) rather than of the output's (3). Otherwise items
        /// stay apart, each col small enough to stay in cache between unfolding and packing.
        /// </summary>
        public bool Stacked { get; }

        /// <summary>Output channels per group: the rows of each product.</summary>
        private int M { get; }

        /// <summary>Depth (C/G)·kh·kw.</summary>
        private int K { get; }

        /// <summary>Output pixels OH·OW: the columns of each product.</summary>
        private int P { get; }

        /// <summary>Whether the input already is the col matrix (1×1 kernel, stride 1, no padding).</summary>
        private bool Direct { get; }

        /// <summary>Whether each product is taken as Yᵀ = colᵀ·Wᵀ (see the class remarks).</summary>
        private bool Transposed { get; }

        /// <summary>Convolves batch item item / G, group item % G.</summary>
        public void RunItem(int item, float* x, float* w, float* y, int threads)
        {
            int b = item / _g.Groups, group = item % _g.Groups;
            float* input = x + ((nint)b * _g.Channels + (nint)group * _g.InPerGroup) * _g.Height * _g.Width;
            float* weight = w + (nint)group * M * K;
            float* output = y + ((nint)b * _g.OutChannels + (nint)group * M) * P;
            long colLength = Direct ? 0 : (long)K * P;
            var buffers = (scratch ??= new ThreadScratch()).Ensure(colLength, Transposed ? (long)M * P : 0);
            float* col = input;
            if (!Direct)
            {
                col = buffers.First;
                Unfold(_g, input, col, colLength >= ParallelUnfold ? threads : 1);
            }

            int depth = Math.Max(1, K);
            if (!Transposed)
            {
                Gemm.Sgemm(M, P, K, weight, depth, false, col, P, false, output, P, false, threads);
                return;
            }

            Gemm.Sgemm(P, M, K, col, P, true, weight, depth, true, buffers.Second, M, false, threads);
            TransposeInto(buffers.Second, P, M, output);
        }

        /// <summary>
        /// Convolves with stacked batch items (see <see cref="Stacked"/>): per group and chunk of items, unfold them
        /// pixel-major (<see cref="UnfoldPixels"/>) into one shared col, take one product into scratch, and copy each
        /// item's part of it to its place in y. Each output element is the same dot product of length K as unstacked.
        /// </summary>
        public void RunStacked(float* x, float* w, float* y, int threads, long stackedFloats)
        {
            var g = _g;
            int chunk = (int)Math.Clamp(stackedFloats / Math.Max(1L, (long)K * P), 1, g.Batch);
            int depth = Math.Max(1, K);
            for (int group = 0; group < g.Groups; group++)
            {
                float* weight = w + (nint)group * M * K;
                for (int first = 0; first < g.Batch; first += chunk)
                {
                    int items = Math.Min(chunk, g.Batch - first);
                    int n = items * P;
                    var buffers = (scratch ??= new ThreadScratch()).Ensure((long)K * n, (long)M * n);
                    float* col = buffers.First, product = buffers.Second;
                    float* input = x + ((nint)first * g.Channels + (nint)group * g.InPerGroup) * g.Height * g.Width;
                    UnfoldPixels(g, input, col, n, (long)K * n >= ParallelUnfold ? threads : 1);
                    if (PrefersTransposed(M, n))
                    {
                        // product is n × M: item b's pixel p, channel o at (b·P + p)·M + o.
                        Gemm.Sgemm(n, M, K, col, depth, false, weight, depth, true, product, M, false, threads);
                        for (int item = 0; item < items; item++)
                            TransposeInto(product + (nint)item * P * M, P, M, y + ((nint)(first + item) * g.OutChannels + (nint)group * M) * P);
                        continue;
                    }
                    // product is M × n: channel o, item b's pixel p at o·n + b·P + p.
                    Gemm.Sgemm(M, n, K, weight, depth, false, col, depth, true, product, n, false, threads);
                    for (int item = 0; item < items; item++)
                    {
                        float* target = y + ((nint)(first + item) * g.OutChannels + (nint)group * M) * P;
                        for (int o = 0; o < M; o++)
                            new ReadOnlySpan<float>(product + (nint)o * n + (nint)item * P, P).CopyTo(new Span<float>(target + (nint)o * P, P));
                    }
                }
            }
        }

        /// <summary>
        /// Whether the transposed product fills the register tiles better by a clear margin: with a tile of
        /// mr×nr, an m×n product uses the fraction (m / ⌈m⌉ₘᵣ)·(n / ⌈n⌉ₙᵣ) of the FMAs it issues.
        /// </summary>
        private static bool PrefersTransposed(int m, int p)
        {
            var (mr, nr) = Gemm.MicroKernelShape(Gemm.BestIsa);
            double Fill(int rows, int columns) =>
                rows / (double)RoundUp(rows, mr) * (columns / (double)RoundUp(columns, nr));
            return m > 0 && p > 0 && Fill(p, m) > 1.25 * Fill(m, p);
        }

        private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

        /// <summary>target (columns × rows) = the transpose of source (rows × columns).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TransposeInto(float* source, int rows, int columns, float* target)
        {
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++)
                    target[(nint)c * rows + r] = source[(nint)r * columns + c];
        }
    }
}
