using System.Runtime.CompilerServices;
namespace GraphDL.Codegen.Kernels;

/// <summary>
/// The copy behind every data-movement op (permute, slice, pad, concat, reshape): for each multi-index i of a shape,
/// <c>dst[dstOffset + Σ i_d·dstStrides_d] = src[srcOffset + Σ i_d·srcStrides_d]</c>. Elements are moved as raw bits
/// of their size (1, 2, 4 or 8 bytes), so the copy is exact for every dtype — NaN payloads and −0 included.
/// </summary>
/// <remarks>
/// Size-1 axes are dropped and adjacent axes that both sides address contiguously are merged first, so a permute of
/// [64, 32, 26, 26] by [1, 0, 2, 3] copies rows of 676 contiguous elements, and a contiguous copy is one memmove.
/// </remarks>
public static unsafe class StridedCopy
{
    /// <summary>Copies <paramref name="shape"/>'s elements of <paramref name="elementSize"/> bytes between the addressed positions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(byte* src, long srcOffset, ReadOnlySpan<long> srcStrides, byte* dst, long dstOffset, ReadOnlySpan<long> dstStrides,
        ReadOnlySpan<int> shape, int elementSize)
    {
        switch (elementSize)
        {
            case 1: Copy((byte*)src + srcOffset, srcStrides, (byte*)dst + dstOffset, dstStrides, shape); break;
            case 2: Copy((ushort*)src + srcOffset, srcStrides, (ushort*)dst + dstOffset, dstStrides, shape); break;
            case 4: Copy((uint*)src + srcOffset, srcStrides, (uint*)dst + dstOffset, dstStrides, shape); break;
            case 8: Copy((ulong*)src + srcOffset, srcStrides, (ulong*)dst + dstOffset, dstStrides, shape); break;
            default: throw new ArgumentOutOfRangeException(nameof(elementSize), $"no {elementSize}-byte elements");
        }
    }

    private static void Copy<T>(T* src, ReadOnlySpan<long> srcStrides, T* dst, ReadOnlySpan<long> dstStrides, ReadOnlySpan<int> shape)
        where T : unmanaged
    {
        if (shape.Contains(0))
        {
            return;
        }
        var (sizes, s, d) = Coalesce(shape, srcStrides, dstStrides);
        if (sizes.Count == 0)
        {
            *dst = *src;
            return;
        }
        int rank = sizes.Count;
        long inner = sizes[rank - 1];
        long rows = 1;
        for (int a = 0; a < rank - 1; a++)
        {
            rows *= sizes[a];
        }
        long chunks = rows * inner * sizeof(T) >= ParallelBytes ? 4L * Environment.ProcessorCount : 1;
        if (rank == 1 && chunks > 1)
        {
            // One long row (a contiguous copy, a pad's fill): cut the row itself.
            nint from = (nint)src, to = (nint)dst;
            long srcStride = s[0], dstStride = d[0];
            Parallel.For(0L, chunks, chunk =>
            {
                long start = inner * chunk / chunks, end = inner * (chunk + 1) / chunks;
                CopyRow((T*)from + start * srcStride, srcStride, (T*)to + start * dstStride, dstStride, end - start);
            });
            return;
        }
        var plan = new RowCopy<T>(src, dst, [.. sizes], [.. s], [.. d]);
        // Large copies are cut into row chunks, a few per core; a small one runs on the calling thread.
        chunks = Math.Min(rows, chunks);
        if (chunks <= 1)
        {
            plan.Rows(0, rows);
            return;
        }
        Parallel.For(0L, chunks, chunk => plan.Rows(rows * chunk / chunks, rows * (chunk + 1) / chunks));
    }

    /// <summary>Copies of at least this many bytes run on every core.</summary>
    private const long ParallelBytes = 1 << 20;

    /// <summary>A coalesced copy: rows of the innermost axis, addressed by the outer axes' strides.</summary>
    private readonly struct RowCopy<T>(T* src, T* dst, long[] sizes, long[] s, long[] d) where T : unmanaged
    {
        /// <summary>Copies rows [<paramref name="start"/>, <paramref name="end"/>) in row-major order of the outer axes.</summary>
        public void Rows(long start, long end)
        {
            int rank = sizes.Length;
            long inner = sizes[rank - 1], innerSrc = s[rank - 1], innerDst = d[rank - 1];
            // The outer multi-index of the first row, and both offsets there.
            var index = new long[rank];
            long srcAt = 0, dstAt = 0, rest = start;
            for (int a = rank - 2; a >= 0; a--)
            {
                index[a] = rest % sizes[a];
                rest /= sizes[a];
                srcAt += index[a] * s[a];
                dstAt += index[a] * d[a];
            }
            for (long row = start; row < end; row++)
            {
                CopyRow(src + srcAt, innerSrc, dst + dstAt, innerDst, inner);
                // Step the outer multi-index like an odometer, keeping both offsets current.
                for (int a = rank - 2; a >= 0; a--)
                {
                    srcAt += s[a];
                    dstAt += d[a];
                    if (++index[a] < sizes[a])
                    {
                        break;
                    }
                    srcAt -= s[a] * sizes[a];
                    dstAt -= d[a] * sizes[a];
                    index[a] = 0;
                }
            }
        }
    }

    private static void CopyRow<T>(T* src, long srcStride, T* dst, long dstStride, long count) where T : unmanaged
    {
        if (srcStride == 1 && dstStride == 1)
        {
            System.Buffer.MemoryCopy(src, dst, count * sizeof(T), count * sizeof(T));
            return;
        }
        if (srcStride == 0 && dstStride == 1)
        {
            // A fill (pad's value): vectorized by Span.Fill, in chunks a span can hold.
            for (long done = 0; done < count; done += int.MaxValue)
            {
                new Span<T>(dst + done, (int)Math.Min(int.MaxValue, count - done)).Fill(*src);
            }
            return;
        }
        for (long j = 0; j < count; j++)
        {
            dst[j * dstStride] = src[j * srcStride];
        }
    }

    /// <summary>The shape without size-1 axes, with adjacent axes merged where both stride lists chain.</summary>
    private static (List<long> Sizes, List<long> Src, List<long> Dst) Coalesce(ReadOnlySpan<int> shape, ReadOnlySpan<long> src, ReadOnlySpan<long> dst)
    {
        var (sizes, s, d) = (new List<long>(), new List<long>(), new List<long>());
        for (int a = 0; a < shape.Length; a++)
        {
            if (shape[a] == 1)
            {
                continue;
            }
            int last = sizes.Count - 1;
            if (last >= 0 && s[last] == src[a] * shape[a] && d[last] == dst[a] * shape[a])
            {
                sizes[last] *= shape[a];
                s[last] = src[a];
                d[last] = dst[a];
            }
            else
            {
                sizes.Add(shape[a]);
                s.Add(src[a]);
                d.Add(dst[a]);
            }
        }
        return (sizes, s, d);
    }
}
