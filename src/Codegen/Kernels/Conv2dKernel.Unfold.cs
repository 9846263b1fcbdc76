using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// im2col: unfolds one (batch item, group) slice of the input, (C/G) channels of H×W, into the D × OH·OW matrix
/// the GEMM reads, and the per-thread scratch it is unfolded into.
/// </summary>
public static unsafe partial class Conv2dKernel
{
    /// <summary>
    /// Fills col row (c, i, j) (D = (C/G)·kh·kw rows of OH·OW) with input (c, y·sh + i·dh − top,
    /// x·sw + j·dw − left) for every output pixel (y, x), zero where that falls in the padding. Rows are split
    /// across <paramref name="threads"/> workers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Unfold(in Conv2dGeometry g, float* input, float* col, int threads)
    {
        int rows = g.Depth;
        if (threads <= 1 || rows < 2)
        {
            UnfoldRows(g, input, col, 0, rows);
            return;
        }

        var geometry = g;
        int workers = Math.Min(threads, rows);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            UnfoldRows(geometry, input, col, (int)((long)rows * worker / workers), (int)((long)rows * (worker + 1) / workers)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnfoldRows(in Conv2dGeometry g, float* input, float* col, int first, int end)
    {
        int oh = g.OutHeight, ow = g.OutWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int sh = g.StrideHeight, sw = g.StrideWidth;
        for (int row = first; row < end; row++)
        {
            int c = row / (kh * kw), i = row / kw % kh, j = row % kw;
            float* plane = input + (nint)c * g.Height * g.Width;
            float* target = col + (nint)row * oh * ow;
            // Output columns whose tap lands inside the input: x·sw + j·dw − left ∈ [0, W).
            int offset = j * g.DilationWidth - g.PadLeft;
            int firstX = Math.Clamp(CeilDiv(-offset, sw), 0, ow);
            int endX = Math.Clamp(CeilDiv(g.Width - offset, sw), firstX, ow);
            for (int yo = 0; yo < oh; yo++, target += ow)
            {
                int yi = yo * sh + i * g.DilationHeight - g.PadTop;
                if (yi < 0 || yi >= g.Height)
                {
                    new Span<float>(target, ow).Clear();
                    continue;
                }

                PaddedRun(plane + (nint)yi * g.Width + offset, sw, target, ow, firstX, endX);
            }
        }
    }

    /// <summary>
    /// The pixel-major col of <paramref name="rows"/> output pixels of consecutive batch items (the first item's
    /// group slice at <paramref name="input"/>): row b·OH·OW + (y·OW + x) holds, for every (c, i, j) of the K =
    /// (C/G)·kh·kw depth, input (c, y·sh + i·dh − top, x·sw + j·dw − left) of item b, zero on padding. Rows are split
    /// across <paramref name="threads"/> workers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnfoldPixels(in Conv2dGeometry g, float* input, float* col, int rows, int threads)
    {
        if (threads <= 1 || rows < 2)
        {
            UnfoldPixelRows(g, input, col, 0, rows);
            return;
        }

        var geometry = g;
        nint source = (nint)input, target = (nint)col;
        int workers = Math.Min(threads, rows);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            UnfoldPixelRows(geometry, (float*)source, (float*)target, (int)((long)rows * worker / workers), (int)((long)rows * (worker + 1) / workers)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnfoldPixelRows(in Conv2dGeometry g, float* input, float* col, int first, int end)
    {
        int ow = g.OutWidth, pixels = g.OutHeight * ow, kh = g.KernelHeight, kw = g.KernelWidth, dw = g.DilationWidth;
        long depth = (long)g.InPerGroup * kh * kw, item = (long)g.Channels * g.Height * g.Width;
        for (int row = first; row < end; row++)
        {
            int b = row / pixels, yo = row % pixels / ow, xo = row % ow;
            float* target = col + row * depth;
            // Taps j whose column lands inside the input: x·sw + j·dw − left ∈ [0, W).
            int x0 = xo * g.StrideWidth - g.PadLeft;
            int firstJ = Math.Clamp(CeilDiv(-x0, dw), 0, kw);
            int endJ = Math.Clamp(CeilDiv(g.Width - x0, dw), firstJ, kw);
            for (int c = 0; c < g.InPerGroup; c++)
            {
                float* plane = input + b * item + (nint)c * g.Height * g.Width;
                for (int i = 0; i < kh; i++, target += kw)
                {
                    int yi = yo * g.StrideHeight + i * g.DilationHeight - g.PadTop;
                    if (yi < 0 || yi >= g.Height)
                    {
                        new Span<float>(target, kw).Clear();
                        continue;
                    }

                    PaddedRun(plane + (nint)yi * g.Width + x0, dw, target, kw, firstJ, endJ);
                }
            }
        }
    }

    /// <summary>
    /// target[0, count) = source[k·step] for k in [first, end), zero before and after (the taps that fall in the
    /// padding). Short runs cost less as a loop than as a memmove call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PaddedRun(float* source, int step, float* target, int count, int first, int end)
    {
        for (int k = 0; k < first; k++)
            target[k] = 0;
        if (step == 1 && end - first >= 16)
            new ReadOnlySpan<float>(source + first, end - first).CopyTo(new Span<float>(target + first, end - first));
        else
            for (int k = first; k < end; k++)
                target[k] = source[(nint)k * step];
        for (int k = end; k < count; k++)
            target[k] = 0;
    }

    /// <summary>⌈a / b⌉ for b &gt; 0 and any sign of a.</summary>
    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    /// <summary>This thread's scratch: the unfolded input first, the transposed product (when taken transposed) second.</summary>
    [ThreadStatic]
    private static ThreadScratch? scratch;
}
