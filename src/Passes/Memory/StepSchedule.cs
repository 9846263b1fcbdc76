using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// An order for a program's steps that keeps peak live memory low, and that peak. The cost model is the memory
/// planner's own view of each step (<see cref="MemoryStep"/>): a step's buffer adds its bytes from the step on; a view
/// (<see cref="MemoryStep.AliasOf"/>) or a value computed once (<see cref="MemoryStep.Persistent"/>) adds none; a read
/// through a view keeps the viewed buffer alive; a buffer is freed after its last reader, except a graph output.
/// </summary>
/// <param name="Order">Indices into the steps given, in the order they should run.</param>
/// <param name="PeakBytes">The most bytes live at once in <see cref="Order"/>.</param>
/// <param name="GivenOrderPeakBytes">The same for the order the steps were given in.</param>
public sealed record StepSchedule(IReadOnlyList<int> Order, long PeakBytes, long GivenOrderPeakBytes)
{
    /// <summary>
    /// List scheduling: among the steps whose operands are ready, run the one that adds the fewest live bytes (its
    /// buffer minus the buffers it reads for the last time), ties going to the given order, which is kept when the
    /// greedy order does not lower the peak. <paramref name="steps"/> must be in a valid (topological) order.
    /// </summary>
    public static StepSchedule Of(Graph graph, IReadOnlyList<MemoryStep> steps)
    {
        var producer = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        for (int s = 0; s < steps.Count; s++)
        {
            producer.TryAdd(steps[s].Produces, s);
        }
        var aliasOf = steps.Where(s => s.AliasOf is not null).ToDictionary(s => (Value)s.Produces, s => s.AliasOf!, (IEqualityComparer<Value>)ReferenceEqualityComparer.Instance);
        Value Underlying(Value value)
        {
            while (aliasOf.TryGetValue(value, out var operand))
            {
                value = operand;
            }
            return value;
        }
        long Size(int s) => steps[s].AliasOf is null && !steps[s].Persistent ? steps[s].Produces.Type.SizeInBytes : 0;
        var escaping = graph.Outputs.Select(o => Underlying(o.Value)).ToHashSet(ReferenceEqualityComparer.Instance);
        // The steps each step must follow (direct producers, views included), and the buffers it reads (through views).
        var after = new int[steps.Count][];
        var buffers = new int[steps.Count][];
        var readers = steps.Select(_ => new List<int>()).ToArray();
        for (int s = 0; s < steps.Count; s++)
        {
            var reads = steps[s].Reads.Append(steps[s].AliasOf).OfType<Value>().ToArray();
            after[s] = reads.Where(producer.ContainsKey).Select(v => producer[v]).Where(p => p != s).Distinct().ToArray();
            buffers[s] = reads.Select(Underlying).Where(v => producer.ContainsKey(v) && !escaping.Contains(v)).Select(v => producer[v])
                .Where(p => p != s && Size(p) > 0).Distinct().ToArray();
            foreach (int p in after[s])
            {
                readers[p].Add(s);
            }
        }

        long Peak(IReadOnlyList<int> order)
        {
            var pending = new int[steps.Count];
            foreach (var reads in buffers)
            {
                foreach (int p in reads)
                {
                    pending[p]++;
                }
            }
            long live = 0, peak = 0;
            foreach (int s in order)
            {
                live += Size(s);
                peak = Math.Max(peak, live);
                foreach (int p in buffers[s])
                {
                    if (--pending[p] == 0)
                    {
                        live -= Size(p);
                    }
                }
            }
            return peak;
        }

        var given = Enumerable.Range(0, steps.Count).ToArray();
        var greedy = Greedy(steps.Count, after, readers, buffers, Size);
        long givenPeak = Peak(given), greedyPeak = Peak(greedy);
        return greedyPeak < givenPeak ? new StepSchedule(greedy, greedyPeak, givenPeak) : new StepSchedule(given, givenPeak, givenPeak);
    }

    private static int[] Greedy(int count, int[][] after, List<int>[] readers, int[][] buffers, Func<int, long> size)
    {
        var missing = after.Select(a => a.Length).ToArray();
        var pending = new int[count];
        foreach (var reads in buffers)
        {
            foreach (int p in reads)
            {
                pending[p]++;
            }
        }
        var ready = new SortedSet<int>(Enumerable.Range(0, count).Where(s => missing[s] == 0));
        var order = new List<int>(count);
        while (ready.Count > 0)
        {
            int best = -1;
            long bestDelta = long.MaxValue;
            foreach (int s in ready)
            {
                long delta = size(s);
                foreach (int p in buffers[s])
                {
                    delta -= pending[p] == 1 ? size(p) : 0;
                }
                if (delta < bestDelta)
                {
                    (best, bestDelta) = (s, delta);
                }
            }
            ready.Remove(best);
            order.Add(best);
            foreach (int p in buffers[best])
            {
                pending[p]--;
            }
            foreach (int reader in readers[best])
            {
                if (--missing[reader] == 0)
                {
                    ready.Add(reader);
                }
            }
        }
        if (order.Count != count)
        {
            throw new InvalidOperationException("the steps read values no earlier step computes (a cycle, or steps out of order)");
        }
        return order.ToArray();
    }
}
