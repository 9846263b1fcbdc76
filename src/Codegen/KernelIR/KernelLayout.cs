namespace GraphDL.Codegen.KernelIR;

/// <summary>One loop axis of a <see cref="KernelLayout"/>: its size and, per buffer, its element stride.</summary>
public sealed record LayoutAxis(long Size, long[] Strides);

/// <summary>
/// How a renderer walks a <see cref="Kernel"/>: the outer axes (enumerated by one row counter) and the inner axes (by
/// one element counter j), after dropping size-1 axes and merging adjacent axes that every buffer addresses
/// contiguously (loop coalescing). A contiguous elementwise kernel becomes one flat row (long ones several rows of
/// 2^12–2^16 elements, so they can run in parallel); a softmax over the last
/// axis of [B, T, C] becomes B·T rows of C. Axes never merge across the outer/inner boundary of a kernel with
/// reductions (that boundary is what is reduced over); elementwise kernels merge freely and keep the last axis inner.
/// </summary>
public sealed class KernelLayout
{
    private KernelLayout(IReadOnlyList<LayoutAxis> outer, IReadOnlyList<LayoutAxis> inner)
    {
        Outer = outer;
        Inner = inner;
        Rows = outer.Aggregate(1L, (n, a) => n * a.Size);
        InnerCount = inner.Aggregate(1L, (n, a) => n * a.Size);
    }

    /// <summary>Outer axes, outermost first.</summary>
    public IReadOnlyList<LayoutAxis> Outer { get; }

    /// <summary>Inner axes, outermost first; at least one (of size 1 and stride 0 where the kernel has none).</summary>
    public IReadOnlyList<LayoutAxis> Inner { get; }

    public long Rows { get; }

    public long InnerCount { get; }

    /// <summary>The element stride of buffer <paramref name="buffer"/> along j, or null where the inner axes do not merge into one.</summary>
    public long? InnerStride(int buffer) => Inner.Count == 1 ? Inner[0].Strides[buffer] : null;

    /// <summary>The coalesced layout of <paramref name="kernel"/>.</summary>
    public static KernelLayout Coalesced(Kernel kernel)
    {
        var axes = Axes(kernel);
        int split = kernel.Space.Rank - kernel.InnerRank;
        if (!kernel.HasReductions)
        {
            var all = Merge(axes);
            if (all.Count == 0)
            {
                return new KernelLayout([], [Unit(kernel)]);
            }
            if (all.Count == 1 && SplitForRows(all[0]) is { } rows)
            {
                return new KernelLayout([rows.Outer], [rows.Inner]);
            }
            return new KernelLayout(all.Take(all.Count - 1).ToArray(), [all[^1]]);
        }
        var inner = Merge(axes.Skip(split).ToList());
        return new KernelLayout(Merge(axes.Take(split).ToList()), inner.Count == 0 ? [Unit(kernel)] : inner);
    }

    /// <summary>The kernel's own axes, unmerged (for entry points addressed in the kernel's coordinates, like tiles).</summary>
    public static KernelLayout Exact(Kernel kernel)
    {
        var axes = Axes(kernel);
        int split = kernel.Space.Rank - kernel.InnerRank;
        var inner = axes.Skip(split).ToArray();
        return new KernelLayout(axes.Take(split).ToArray(), inner.Length == 0 ? [Unit(kernel)] : inner);
    }

    /// <summary>
    /// A long flat elementwise loop split into rows of a power-of-two length C dividing it (2^12 ≤ C ≤ 2^16), so a
    /// renderer can run rows in parallel; null when it is short or no such C divides it (it then stays one row).
    /// </summary>
    private static (LayoutAxis Outer, LayoutAxis Inner)? SplitForRows(LayoutAxis flat)
    {
        if (flat.Size < 1 << 17)
        {
            return null;
        }
        long chunk = 1 << 16;
        while (chunk >= 1 << 12 && flat.Size % chunk != 0)
        {
            chunk >>= 1;
        }
        return chunk < 1 << 12 ? null
            : (new LayoutAxis(flat.Size / chunk, flat.Strides.Select(s => s * chunk).ToArray()), new LayoutAxis(chunk, flat.Strides));
    }

    private static List<LayoutAxis> Axes(Kernel kernel) =>
        Enumerable.Range(0, kernel.Space.Rank)
            .Select(a => new LayoutAxis(kernel.Space[a], kernel.Buffers.Select(b => b.Strides[a]).ToArray()))
            .ToList();

    private static LayoutAxis Unit(Kernel kernel) => new(1, new long[kernel.Buffers.Count]);

    /// <summary>Drops size-1 axes, then merges each axis into its outer neighbour where every buffer's strides chain.</summary>
    private static List<LayoutAxis> Merge(List<LayoutAxis> axes)
    {
        var merged = new List<LayoutAxis>();
        foreach (var axis in axes.Where(a => a.Size != 1))
        {
            if (merged.Count > 0 && axis.Size != 0 && merged[^1].Size != 0
                && merged[^1].Strides.Select((s, b) => s == axis.Strides[b] * axis.Size).All(x => x))
            {
                merged[^1] = new LayoutAxis(merged[^1].Size * axis.Size, axis.Strides);
            }
            else
            {
                merged.Add(axis);
            }
        }
        return merged;
    }
}
