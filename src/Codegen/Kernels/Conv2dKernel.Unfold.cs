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
            UnfoldRows(g, input, col, (long)g.OutHeight * g.OutWidth, 0, rows);
            return;
        }

        var geometry = g;
        int workers = Math.Min(threads, rows);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            UnfoldRows(geometry, input, col, (long)geometry.OutHeight * geometry.OutWidth, (int)((long)rows * worker / workers), (int)((long)rows * (worker + 1) / workers)));
    }

    /// <summary>Col rows [<paramref name="first"/>, <paramref name="end"/>), each OH·OW floats, <paramref name="rowStride"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnfoldRows(in Conv2dGeometry g, float* input, float* col, long rowStride, int first, int end)
    {
        int oh = g.OutHeight, ow = g.OutWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int sh = g.StrideHeight, sw = g.StrideWidth;
        for (int row = first; row < end; row++)
        {
            int c = row / (kh * kw), i = row / kw % kh, j = row % kw;
            float* plane = input + (nint)c * g.Height * g.Width;
            float* target = col + (nint)row * rowStride;
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

                float* source = plane + (nint)yi * g.Width + offset;
                for (int xo = 0; xo < firstX; xo++)
                    target[xo] = 0;
                // Short runs (the weight gradient's kh×kw outputs) cost less as a loop than as a memmove call.
                if (sw == 1 && endX - firstX >= 16)
                    new ReadOnlySpan<float>(source + firstX, endX - firstX).CopyTo(new Span<float>(target + firstX, endX - firstX));
                else
                    for (int xo = firstX; xo < endX; xo++)
                        target[xo] = source[(nint)xo * sw];
                for (int xo = endX; xo < ow; xo++)
                    target[xo] = 0;
            }
        }
    }

    /// <summary>⌈a / b⌉ for b &gt; 0 and any sign of a.</summary>
    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    /// <summary>This thread's scratch: the unfolded input first, the transposed product (when taken transposed) second.</summary>
    [ThreadStatic]
    private static ThreadScratch? scratch;
}
