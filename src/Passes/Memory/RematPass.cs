using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// Rematerialization (activation checkpointing) on the joint forward+backward graph, after the simplification
/// passes (CSE would merge recomputed copies back into the forward) and before fusion. It chooses the set of
/// forward values the backward may read (the saved activations, see <see cref="RematAnalysis"/>) and lets
/// <see cref="RematRewriter"/> recompute the others right before their first backward use.
/// <list type="bullet">
/// <item><c>none</c>: save every forward value the backward reads; the graph is returned unchanged unless it has
/// <c>F.Checkpoint</c> regions.</item>
/// <item><c>sqrt</c> (Chen et al. 2016): the forward nodes, in graph order, are cut into ⌈√n⌉ segments of equal node
/// count; only values read across a cut (by a later segment) are saved; the backward of each segment recomputes the
/// segment from those. A matmul or conv inside a segment is recomputed (saving it would keep as many bytes as the
/// segment's other activations); one at a cut is saved. The cost is about one extra forward pass.</item>
/// <item><c>budget=B</c>: start from <c>none</c> and stop saving values one at a time, cheapest to recompute first
/// (elementwise, movement and creation ops, then reductions and the rest, matmul and conv last; larger first within
/// a class), keeping each change that lowers the estimated peak (<see cref="RematAnalysis.PeakLiveBytes"/>), until
/// the peak fits B; the <c>sqrt</c> plan is also tried. If no plan fits, <see cref="RematBudgetException"/> names
/// the smallest peak reached and its live set.</item>
/// </list>
/// Under every policy, values computed inside an <c>F.Checkpoint</c> region (nodes marked <c>{checkpoint=K}</c>)
/// are never saved, and the markers are removed.
/// </summary>
public sealed class RematPass(RematPolicy policy) : IPass
{
    public RematPolicy Policy { get; } = policy;

    public string Name => "remat";

    public string Description => $"rematerialization ({Policy}): recompute forward values in the backward instead of saving them";

    public Graph Run(Graph graph)
    {
        var analysis = RematAnalysis.Of(graph);
        if (Policy.Kind == RematKind.None && !graph.Nodes.Any(RematRewriter.IsMarked))
        {
            return graph;
        }
        var marked = RegionInteriors(graph, analysis);
        var baseline = NoneSaved(analysis, marked);
        return Policy.Kind switch
        {
            RematKind.None => RematRewriter.Rewrite(graph, analysis.Forward, baseline),
            RematKind.Sqrt => RematRewriter.Rewrite(graph, analysis.Forward, SqrtSaved(graph, analysis, marked)),
            _ => FitBudget(graph, analysis, marked, baseline),
        };
    }

    /// <summary>
    /// The forward nodes computed inside an <c>F.Checkpoint</c> region that no other forward computation reads: a
    /// region's results (read by a node outside it, or the loss itself) are saved, as the block's output is in
    /// <c>torch.utils.checkpoint</c>, so consecutive regions recompute one block each rather than all of them.
    /// </summary>
    private static HashSet<Node> RegionInteriors(Graph graph, RematAnalysis analysis)
    {
        static Attr? Region(Node node) => node.Attributes.Find(AttributeSchema.CheckpointRegion);
        var interior = graph.Nodes.Where(n => analysis.Forward.Contains(n) && Region(n) is not null).ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes.Where(analysis.Forward.Contains))
        {
            foreach (var operand in node.Operands.OfType<Node>())
            {
                if (Region(operand) is { } region && !region.Equals(Region(node)))
                {
                    interior.Remove(operand);
                }
            }
        }
        if (graph.Outputs.Count > 0 && graph.Outputs[0].Value is Node loss)
        {
            interior.Remove(loss);
        }
        return interior;
    }

    /// <summary>Forward values read by the backward or by a checkpoint region, region values excepted.</summary>
    private static HashSet<Node> NoneSaved(RematAnalysis analysis, HashSet<Node> marked)
    {
        var saved = new HashSet<Node>(analysis.Saved, ReferenceEqualityComparer.Instance);
        foreach (var node in marked)
        {
            saved.UnionWith(node.Operands.OfType<Node>().Where(analysis.Forward.Contains));
        }
        saved.ExceptWith(marked);
        return saved;
    }

    /// <summary>Forward values read by a node of a later segment (the cuts of ⌈√n⌉ equal segments), region values excepted.</summary>
    private static HashSet<Node> SqrtSaved(Graph graph, RematAnalysis analysis, HashSet<Node> marked)
    {
        var forward = graph.Nodes.Where(analysis.Forward.Contains).ToArray();
        int segments = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(forward.Length)));
        var segment = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < forward.Length; i++)
        {
            segment[forward[i]] = (int)((long)i * segments / forward.Length);
        }
        var saved = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in forward)
        {
            saved.UnionWith(node.Operands.OfType<Node>().Where(o => segment[o] < segment[node]));
        }
        saved.ExceptWith(marked);
        return saved;
    }

    private Graph FitBudget(Graph graph, RematAnalysis analysis, HashSet<Node> marked, HashSet<Node> baseline)
    {
        var saved = new HashSet<Node>(baseline, ReferenceEqualityComparer.Instance);
        var best = RematRewriter.Rewrite(graph, analysis.Forward, saved);
        var (bestPeak, bestLive) = RematAnalysis.PeakLiveBytes(best);
        var candidates = baseline.OrderBy(RecomputeClass).ThenByDescending(n => n.Type.SizeInBytes).ToArray();
        foreach (var candidate in candidates)
        {
            if (bestPeak <= Policy.BudgetBytes)
            {
                return best;
            }
            saved.Remove(candidate);
            var trial = RematRewriter.Rewrite(graph, analysis.Forward, saved);
            var (peak, live) = RematAnalysis.PeakLiveBytes(trial);
            if (peak < bestPeak)
            {
                (best, bestPeak, bestLive) = (trial, peak, live);
            }
            else
            {
                saved.Add(candidate);
            }
        }
        var sqrt = RematRewriter.Rewrite(graph, analysis.Forward, SqrtSaved(graph, analysis, marked));
        var (sqrtPeak, sqrtLive) = RematAnalysis.PeakLiveBytes(sqrt);
        if (sqrtPeak < bestPeak)
        {
            (best, bestPeak, bestLive) = (sqrt, sqrtPeak, sqrtLive);
        }
        return bestPeak <= Policy.BudgetBytes ? best : throw new RematBudgetException(Policy.BudgetBytes, bestPeak, bestLive);
    }

    /// <summary>0: elementwise, movement, creation (cheap, bandwidth-bound); 1: reductions and the rest; 2: contractions (matmul, conv).</summary>
    private static int RecomputeClass(Node node) =>
        node.Op.Has(OpTraits.Contraction) ? 2
        : node.Op.Has(OpTraits.Elementwise) || node.Op.Has(OpTraits.Movement) || node.Op.Has(OpTraits.Creation) ? 0
        : 1;
}
