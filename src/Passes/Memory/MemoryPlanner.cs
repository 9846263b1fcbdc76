using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// Assigns every intermediate buffer of a schedule an offset in one arena, so buffers whose lifetimes do not overlap
/// share memory. Offsets are chosen by best fit (each buffer goes into the smallest gap among the already placed
/// buffers live at the same time, else on top), with the buffers taken in three orders — largest first, longest
/// lived first, and first defined first — each with and without in-place reuse; the smallest arena wins. This is the
/// heuristic of TFLite's and XLA's heap simulators: cheap, and on real schedules within a few percent of the bound
/// no placement can beat, the most bytes live at one step.
/// <para>In-place reuse: an elementwise step's result takes over the buffer of an input of the same size and element
/// count whose last reader it is, since it reads each element before writing the element at the same index.</para>
/// </summary>
public static class MemoryPlanner
{
    /// <summary>Plans the buffers of <paramref name="steps"/>, run in that order, for <paramref name="graph"/>.</summary>
    public static MemoryPlan Plan(Graph graph, IReadOnlyList<MemoryStep> steps)
    {
        var liveness = new Liveness(graph, steps);
        var donations = Donation.Find(graph, liveness);
        var buffers = liveness.Intervals.Select(p => new PlannedBuffer(p.Key, 0, p.Key.Type.SizeInBytes, p.Value.Def, p.Value.LastUse)).ToArray();
        // Only the winner becomes a MemoryPlan (whose figures count every buffer at every step of its life).
        (List<(Block Block, long Offset)> Placed, long Arena, string Heuristic)? best = null;
        foreach (bool inPlace in new[] { true, false })
        {
            var blocks = Blocks(buffers, steps, inPlace);
            foreach (var (name, order) in Orders)
            {
                var (placed, arena) = Place(blocks, order);
                if (best is null || arena < best.Value.Arena)
                {
                    best = (placed, arena, inPlace ? name + ", in place" : name);
                }
            }
        }
        if (best is not { } winner)
        {
            return new MemoryPlan(graph, steps, [], 0, "empty", donations);
        }
        var offsets = winner.Placed.SelectMany(p => p.Block.Buffers.Select(b => b with { Offset = p.Offset })).OrderBy(b => b.Def).ToArray();
        return new MemoryPlan(graph, liveness.Steps, offsets, winner.Arena, winner.Heuristic, donations);
    }

    /// <summary>Buffers that share memory in place, as one block whose lifetime covers theirs, in definition order.</summary>
    private sealed record Block(IReadOnlyList<PlannedBuffer> Buffers, long Size, int Def, int LastUse);

    private static readonly (string Name, Func<IEnumerable<Block>, IEnumerable<Block>> Order)[] Orders =
    [
        ("greedy by size", b => b.OrderByDescending(x => x.Size).ThenByDescending(x => x.LastUse - x.Def).ThenBy(x => x.Def)),
        ("greedy by lifetime", b => b.OrderByDescending(x => x.LastUse - x.Def).ThenByDescending(x => x.Size).ThenBy(x => x.Def)),
        ("greedy by definition", b => b.OrderBy(x => x.Def).ThenByDescending(x => x.Size)),
    ];

    private static List<Block> Blocks(IReadOnlyList<PlannedBuffer> buffers, IReadOnlyList<MemoryStep> steps, bool inPlace)
    {
        var chains = new Dictionary<Node, List<PlannedBuffer>>(ReferenceEqualityComparer.Instance);
        var byValue = buffers.ToDictionary(b => b.Value, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        foreach (var buffer in buffers.OrderBy(b => b.Def))
        {
            var step = steps[buffer.Def];
            var host = inPlace
                ? step.AlignedReads.OfType<Node>().Where(byValue.ContainsKey).Select(n => byValue[n])
                    .FirstOrDefault(h => h.LastUse == buffer.Def && h.Size == buffer.Size && h.Value.Type.ElementCount == buffer.Value.Type.ElementCount
                        && chains.TryGetValue(h.Value, out var chain) && ReferenceEquals(chain[^1].Value, h.Value))
                : null;
            if (host is null)
            {
                chains[buffer.Value] = [buffer];
            }
            else
            {
                var chain = chains[host.Value];
                chain.Add(buffer with { InPlaceOf = host.Value });
                chains[buffer.Value] = chain;
            }
        }
        return chains.Values.Distinct().Select(c => new Block(c, MemoryPlan.AlignUp(c[0].Size), c[0].Def, c.Max(b => b.LastUse))).ToList();
    }

    /// <summary>Best-fit offsets for <paramref name="blocks"/> taken in <paramref name="order"/>, and the arena they need.</summary>
    private static (List<(Block Block, long Offset)> Placed, long Arena) Place(List<Block> blocks, Func<IEnumerable<Block>, IEnumerable<Block>> order)
    {
        // The placed blocks, kept sorted by offset so each block walks the gaps bottom up without sorting its
        // neighbours. The walk visits every placed block (thousands in an unrolled recurrence, six times a compile),
        // so what it reads lies in arrays of its own.
        var ordered = order(blocks).ToArray();
        int count = 0;
        var placed = new Block[ordered.Length];
        var offsets = new long[ordered.Length];
        var ends = new long[ordered.Length];
        var defs = new int[ordered.Length];
        var lastUses = new int[ordered.Length];
        foreach (var block in ordered)
        {
            long cursor = 0, bestOffset = -1, bestGap = long.MaxValue;
            for (int i = 0; i < count; i++)
            {
                if (!PlannedBuffer.Overlap(defs[i], lastUses[i], block.Def, block.LastUse))
                {
                    continue;
                }
                long gap = offsets[i] - cursor;
                if (gap >= block.Size && gap < bestGap)
                {
                    (bestOffset, bestGap) = (cursor, gap);
                }
                cursor = Math.Max(cursor, ends[i]);
            }
            long at = bestOffset >= 0 ? bestOffset : cursor;
            // After every block placed at or below this offset.
            int index = 0;
            for (int hi = count; index < hi;)
            {
                int mid = (index + hi) >>> 1;
                if (offsets[mid] > at)
                {
                    hi = mid;
                }
                else
                {
                    index = mid + 1;
                }
            }
            Insert(placed, index, count, block);
            Insert(offsets, index, count, at);
            Insert(ends, index, count, at + block.Size);
            Insert(defs, index, count, block.Def);
            Insert(lastUses, index, count, block.LastUse);
            count++;
        }
        var result = new List<(Block Block, long Offset)>(count);
        long arena = 0;
        for (int i = 0; i < count; i++)
        {
            result.Add((placed[i], offsets[i]));
            arena = Math.Max(arena, ends[i]);
        }
        return (result, arena);
    }

    private static void Insert<T>(T[] items, int index, int count, T item)
    {
        Array.Copy(items, index, items, index + 1, count - index);
        items[index] = item;
    }
}
