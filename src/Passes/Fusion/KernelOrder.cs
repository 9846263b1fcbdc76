using GraphDL.IR;

namespace GraphDL.Passes.Fusion;

/// <summary>A schedule of a plan's kernels and the peak bytes of kernel results alive at once when they run in that order.</summary>
public sealed record KernelOrder(IReadOnlyList<FusionKernel> Kernels, long PeakBytes, long GraphOrderPeakBytes)
{
    /// <summary>
    /// Orders the kernels of <paramref name="plan"/> to keep peak live memory low: list scheduling that, among the
    /// kernels whose arguments are ready, runs the one that adds the fewest live bytes (its result minus the results
    /// it reads for the last time), ties going to graph order. The graph's own order is kept when the greedy order
    /// does not lower the peak. A result is live from its kernel until its last reader; graph outputs stay live.
    /// </summary>
    public static KernelOrder Schedule(FusionPlan plan)
    {
        var kernelOf = plan.Kernels.ToDictionary(k => k.Root, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        // Arguments are distinct values, each the root of one kernel, so each kernel's list of producers is distinct.
        var reads = plan.Kernels.Select(k => FusionPlan.Arguments(k).OfType<Node>().Where(kernelOf.ContainsKey).Select(n => kernelOf[n]).ToArray()).ToArray();
        var readers = plan.Kernels.Select(_ => new List<int>()).ToArray();
        for (int k = 0; k < reads.Length; k++)
        {
            foreach (var producer in reads[k])
            {
                readers[producer.Index].Add(k);
            }
        }
        var outputs = plan.Graph.Outputs.Select(o => o.Value).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);

        long Peak(IReadOnlyList<FusionKernel> order)
        {
            var pendingReaders = readers.Select(r => r.Count).ToArray();
            long live = 0, peak = 0;
            foreach (var kernel in order)
            {
                live += kernel.Root.Type.SizeInBytes;
                peak = Math.Max(peak, live);
                foreach (var producer in reads[kernel.Index])
                {
                    if (--pendingReaders[producer.Index] == 0 && !outputs.Contains(producer.Root))
                    {
                        live -= producer.Root.Type.SizeInBytes;
                    }
                }
            }
            return peak;
        }

        var greedy = Greedy(plan.Kernels, reads, readers, outputs);
        long graphPeak = Peak(plan.Kernels), greedyPeak = Peak(greedy);
        return greedyPeak < graphPeak ? new KernelOrder(greedy, greedyPeak, graphPeak) : new KernelOrder(plan.Kernels, graphPeak, graphPeak);
    }

    private static List<FusionKernel> Greedy(IReadOnlyList<FusionKernel> kernels, FusionKernel[][] reads, List<int>[] readers, HashSet<Node> outputs)
    {
        var missing = reads.Select(r => r.Length).ToArray();
        var pendingReaders = readers.Select(r => r.Count).ToArray();
        var ready = new SortedSet<int>(Enumerable.Range(0, kernels.Count).Where(k => missing[k] == 0));
        var order = new List<FusionKernel>(kernels.Count);
        while (ready.Count > 0)
        {
            int best = -1;
            long bestDelta = long.MaxValue;
            foreach (int k in ready)
            {
                long delta = kernels[k].Root.Type.SizeInBytes - reads[k]
                    .Where(p => pendingReaders[p.Index] == 1 && !outputs.Contains(p.Root)).Sum(p => p.Root.Type.SizeInBytes);
                if (delta < bestDelta)
                {
                    (best, bestDelta) = (k, delta);
                }
            }
            ready.Remove(best);
            order.Add(kernels[best]);
            foreach (var producer in reads[best])
            {
                pendingReaders[producer.Index]--;
            }
            foreach (int reader in readers[best])
            {
                if (--missing[reader] == 0)
                {
                    ready.Add(reader);
                }
            }
        }
        return order;
    }
}
