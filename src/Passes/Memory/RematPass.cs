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
/// <item><c>sqrt</c> (Chen et al. 2016): the forward nodes, in graph order, are cut into ⌈√n⌉ segments holding equal
/// numbers of the n values <c>none</c> would save; only values read across a cut (by a later segment) are saved; the
/// backward of each segment recomputes the segment from those. Cheap values computed from graph inputs alone
/// (transposed weights, broadcast biases) are recomputed next to their use instead of being saved. A matmul or conv inside a segment is recomputed (saving it would keep as many bytes as the
/// segment's other activations); one at a cut is saved. The cost is about one extra forward pass.</item>
/// <item><c>budget=B</c>: each plan is judged by the memory plan its program will get
/// (the backend's estimate, <see cref="ArenaOf"/>: its program's steps, in the order they run, placed in one arena),
/// and fits when that arena is at most B bytes. Start from <c>none</c> and stop saving values one at a time,
/// cheapest to recompute first (elementwise, movement and creation ops, then reductions and the rest, matmul and conv
/// last; larger first within a class), keeping each change that lowers the peak of live bytes, until the arena fits;
/// failing that, segment plans as for <c>sqrt</c> with 2 to 4⌈√n⌉ segments are tried. If no plan fits,
/// <see cref="RematBudgetException"/> names the smallest peak among the plans tried and its live set. The search is
/// a heuristic: a plan it does not try may fit.</item>
/// </list>
/// Under every policy, values computed inside an <c>F.Checkpoint</c> region (nodes marked <c>{checkpoint=K}</c>) are
/// never saved, except the region's results (see <see cref="RegionInteriors"/>), and the markers are removed.
/// </summary>
public sealed class RematPass(RematPolicy policy, Func<Graph, MemoryPlan>? estimate = null) : IPass
{
    public RematPolicy Policy { get; } = policy;

    /// <summary>
    /// The memory plan that the backend which will run the graph gives its program, so a budget is judged on the
    /// arena that program will get (when none is given, the generic backend's, <see cref="MemoryEstimate.Of"/>).
    /// </summary>
    public Func<Graph, MemoryPlan> ArenaOf { get; } = estimate ?? (graph => MemoryEstimate.Of(graph));

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

    /// <summary>The cuts of ⌈√n⌉ segments, n the number of saved activations under <c>none</c>.</summary>
    private static HashSet<Node> SqrtSaved(Graph graph, RematAnalysis analysis, HashSet<Node> marked) =>
        SegmentSaved(graph, analysis, marked, Math.Max(1, (int)Math.Ceiling(Math.Sqrt(analysis.Saved.Count))));

    /// <summary>
    /// The forward nodes in graph order are cut into <paramref name="segments"/> segments holding equal numbers of the
    /// values the backward reads; the values saved are those a later segment reads (the checkpoints). Exceptions:
    /// region values, and cheap values computed from graph inputs alone (a transposed weight, a broadcast bias),
    /// which are recomputed next to their use rather than held across the forward.
    /// </summary>
    private static HashSet<Node> SegmentSaved(Graph graph, RematAnalysis analysis, HashSet<Node> marked, int segments)
    {
        var read = new HashSet<Node>(analysis.Saved, ReferenceEqualityComparer.Instance);
        var segment = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var fromInputs = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        int seen = 0;
        foreach (var node in graph.Nodes.Where(analysis.Forward.Contains))
        {
            segment[node] = (int)Math.Min(segments - 1, (long)seen * segments / Math.Max(1, read.Count));
            seen += read.Contains(node) ? 1 : 0;
            if (RecomputeClass(node) == 0 && node.Operands.All(o => o is not Node n || fromInputs.Contains(n)))
            {
                fromInputs.Add(node);
            }
        }
        var saved = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in segment.Keys)
        {
            saved.UnionWith(node.Operands.OfType<Node>().Where(o => segment[o] < segment[node] && !fromInputs.Contains(o)));
        }
        saved.ExceptWith(marked);
        return saved;
    }

    /// <summary>
    /// The greedy plan (cheapest recomputation first, stopping as soon as the estimated arena fits); if it does not
    /// fit, the segment plans of <see cref="SegmentSaved"/> for 2 to 4⌈√n⌉ segments, fewest nodes (the least
    /// recomputation) first, taking the first that fits. The error reports the plan with the smallest peak among all
    /// these. A trial is judged by its peak, the most bytes live at one step (<see cref="MemoryPlan.LowerBoundBytes"/>):
    /// only a value live at that step can lower it by not being saved, so the others are not tried.
    /// </summary>
    private Graph FitBudget(Graph graph, RematAnalysis analysis, HashSet<Node> marked, HashSet<Node> baseline)
    {
        var saved = new HashSet<Node>(baseline, ReferenceEqualityComparer.Instance);
        var best = Plan(graph, analysis, saved);
        foreach (var candidate in baseline.OrderBy(RecomputeClass).ThenByDescending(n => n.Type.SizeInBytes))
        {
            if (Fits(best))
            {
                return best.Graph;
            }
            if (!best.LiveAtPeak(candidate))
            {
                continue;
            }
            saved.Remove(candidate);
            var trial = Plan(graph, analysis, saved);
            if (trial.Peak < best.Peak)
            {
                best = trial;
            }
            else
            {
                saved.Add(candidate);
            }
        }
        if (Fits(best))
        {
            return best.Graph;
        }
        int n = analysis.Saved.Count;
        var segmentations = new List<HashSet<Node>>();
        foreach (int k in Enumerable.Range(2, Math.Max(0, Math.Min(n, 4 * (int)Math.Ceiling(Math.Sqrt(n))) - 1)))
        {
            var cut = SegmentSaved(graph, analysis, marked, k);
            if (!segmentations.Any(cut.SetEquals))
            {
                segmentations.Add(cut);
            }
        }
        // Rewriting is cheap and tells the node count; only the plans tried get a memory estimate.
        var smallest = best;
        foreach (var (rewritten, counterparts) in segmentations.Select(cut => Rewrite(graph, analysis, cut)).OrderBy(r => r.Graph.Nodes.Count))
        {
            var plan = Estimate(rewritten, counterparts);
            if (Fits(plan))
            {
                return plan.Graph;
            }
            smallest = plan.Peak < smallest.Peak ? plan : smallest;
        }
        throw new RematBudgetException(Policy.BudgetBytes, smallest.Memory);
    }

    private bool Fits(BudgetPlan plan) => plan.Memory.ArenaBytes <= Policy.BudgetBytes;

    /// <summary>A rewritten graph, its estimated memory plan, and where each original value went.</summary>
    private sealed record BudgetPlan(Graph Graph, MemoryPlan Memory, IReadOnlyDictionary<Value, Value> Counterparts)
    {
        private readonly HashSet<Node> _liveAtPeak = Memory.LiveAtPeak.Select(b => b.Value).ToHashSet<Node>(ReferenceEqualityComparer.Instance);

        public long Peak => Memory.LowerBoundBytes;

        /// <summary>Whether the buffer of <paramref name="original"/> (a node of the graph before remat) is live at the peak.</summary>
        public bool LiveAtPeak(Node original) => Counterparts.TryGetValue(original, out var value) && value is Node node && _liveAtPeak.Contains(node);
    }

    private BudgetPlan Plan(Graph graph, RematAnalysis analysis, IReadOnlySet<Node> saved)
    {
        var (rewritten, counterparts) = Rewrite(graph, analysis, saved);
        return Estimate(rewritten, counterparts);
    }

    private static (Graph Graph, IReadOnlyDictionary<Value, Value> Counterparts) Rewrite(Graph graph, RematAnalysis analysis, IReadOnlySet<Node> saved)
    {
        var rewritten = RematRewriter.Rewrite(graph, analysis.Forward, saved, out var counterparts);
        return (rewritten, counterparts);
    }

    private BudgetPlan Estimate(Graph rewritten, IReadOnlyDictionary<Value, Value> counterparts) =>
        new(rewritten, ArenaOf(rewritten), counterparts);

    /// <summary>0: elementwise, movement, creation (cheap, bandwidth-bound); 1: reductions and the rest; 2: contractions (matmul, conv).</summary>
    private static int RecomputeClass(Node node) =>
        node.Op.Has(OpTraits.Contraction) ? 2
        : node.Op.Has(OpTraits.Elementwise) || node.Op.Has(OpTraits.Movement) || node.Op.Has(OpTraits.Creation) ? 0
        : 1;
}
