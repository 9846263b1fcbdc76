using System.Runtime.CompilerServices;
using System.Numerics;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// The windows of a <c>reduce_window</c> (max or average pooling): result element o reduces the operand elements at
/// <c>o·stride − padLow + k</c> for every window offset k inside the operand (padding holds the identity).
/// </summary>
public sealed record PoolingWindows(int[] Input, int[] Output, int[] Window, int[] Stride, int[] PadLow, bool IsMax);

/// <summary>
/// Max and sum over sliding windows, computed as <c>reduce_window</c>'s reference evaluation defines them: in double,
/// starting from −∞ (max) or 0 (sum), window offsets visited in row-major order, <see cref="Math.Max(double, double)"/>
/// for max (NaN propagates, +0 beats −0), the result rounded once to the element type. So results are bit-exact.
/// </summary>
/// <remarks>
/// Window offsets are precomputed as element distances; a window lying wholly inside the operand (every one but the
/// border windows of a padded pooling) is read through them with no bounds checks.
/// </remarks>
public static unsafe class WindowReduction
{
    /// <summary>Reduces the windows of an operand of rank ≥ 1 into <paramref name="y"/> (row-major over the result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reduce(PoolingWindows geometry, float* x, float* y) => Reduce<float>(geometry, x, y);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reduce(PoolingWindows geometry, double* x, double* y) => Reduce<double>(geometry, x, y);

    private static void Reduce<T>(PoolingWindows g, T* x, T* y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = g.Input.Length;
        long outputCount = 1, windowCount = 1;
        var inStrides = new long[rank];
        long stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            inStrides[d] = stride;
            stride *= g.Input[d];
            outputCount *= g.Output[d];
            windowCount *= g.Window[d];
        }
        if (outputCount == 0)
        {
            return;
        }
        var offsets = new long[windowCount];
        var window = new int[windowCount * rank];
        for (long w = 0; w < windowCount; w++)
        {
            long rest = w;
            for (int d = rank - 1; d >= 0; d--)
            {
                int k = (int)(rest % g.Window[d]);
                rest /= g.Window[d];
                window[w * rank + d] = k;
                offsets[w] += k * inStrides[d];
            }
        }
        // One row of outputs along the last axis at a time: the other axes' start positions and bounds are computed
        // once per row, and along the row a window is inside the operand when its last-axis span is. Large poolings
        // split their rows across the cores; each output is computed the same way on any thread.
        long rows = outputCount / g.Output[rank - 1];
        var plan = new Windows<T>(g, x, y, offsets, window, inStrides);
        long chunks = outputCount * windowCount >= ParallelWork ? Math.Min(rows, 4L * Environment.ProcessorCount) : 1;
        if (chunks <= 1)
        {
            plan.Rows(0, rows);
            return;
        }
        Parallel.For(0L, chunks, chunk => plan.Rows(rows * chunk / chunks, rows * (chunk + 1) / chunks));
    }

    /// <summary>Poolings reading at least this many window elements run on every core.</summary>
    private const long ParallelWork = 1 << 18;

    /// <summary>The windows of one pooling, with their offsets precomputed, reduced row by row.</summary>
    private readonly struct Windows<T>(PoolingWindows g, T* x, T* y, long[] offsets, int[] window, long[] inStrides)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Rows(long first, long end)
        {
            int rank = g.Input.Length, last = rank - 1;
            long windowCount = offsets.Length;
            var index = new int[rank];
            var start = new long[rank];
            long rest = first;
            for (int d = last - 1; d >= 0; d--)
            {
                index[d] = (int)(rest % g.Output[d]);
                rest /= g.Output[d];
            }
            for (long row = first; row < end; row++)
            {
                bool rowInside = true;
                long rowAt = 0;
                for (int d = 0; d < last; d++)
                {
                    start[d] = (long)index[d] * g.Stride[d] - g.PadLow[d];
                    rowInside &= start[d] >= 0 && start[d] + g.Window[d] <= g.Input[d];
                    rowAt += start[d] * inStrides[d];
                }
                T* yRow = y + row * g.Output[last];
                for (int j = 0; j < g.Output[last]; j++)
                {
                    start[last] = (long)j * g.Stride[last] - g.PadLow[last];
                    long at = rowAt + start[last] * inStrides[last];
                    bool inside = rowInside && start[last] >= 0 && start[last] + g.Window[last] <= g.Input[last];
                    if (inside && g.IsMax)
                    {
                        // T.MaxNumber would drop NaN; T.Max is Math.Max's rule (NaN propagates, +0 beats −0), and the
                        // max of values exactly representable in T is the same in T as in double.
                        T best = T.NegativeInfinity;
                        foreach (long offset in offsets)
                        {
                            best = T.Max(best, x[at + offset]);
                        }
                        yRow[j] = best;
                        continue;
                    }
                    double acc = g.IsMax ? double.NegativeInfinity : 0.0;
                    for (long w = 0; w < windowCount; w++)
                    {
                        if (inside || Inside(g, start, window, w * rank))
                        {
                            double v = double.CreateTruncating(x[at + offsets[w]]);
                            acc = g.IsMax ? Math.Max(acc, v) : acc + v;
                        }
                    }
                    yRow[j] = T.CreateTruncating(acc);
                }
                for (int d = last - 1; d >= 0 && ++index[d] == g.Output[d]; d--)
                {
                    index[d] = 0;
                }
            }
        }
    }

    /// <summary>Whether window offset <paramref name="window"/>[at..at+rank] from <paramref name="start"/> lies in the operand.</summary>
    private static bool Inside(PoolingWindows g, long[] start, int[] window, long at)
    {
        for (int d = 0; d < start.Length; d++)
        {
            long position = start[d] + window[at + d];
            if (position < 0 || position >= g.Input[d])
            {
                return false;
            }
        }
        return true;
    }
}
