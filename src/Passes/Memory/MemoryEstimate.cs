using GraphDL.IR;
using GraphDL.Passes.Fusion;

namespace GraphDL.Passes.Memory;

/// <summary>
/// The arena a graph's program needs on a generic backend, for the <c>remat</c> pass when no backend says how it
/// runs the graph (<c>graphdl opt --passes=remat</c> on a .gir): every fusion the traits allow is made, each kernel
/// is one step that reads its arguments and writes its root into a buffer of its own (no views: a generic backend
/// has none), the steps run in the order <see cref="StepSchedule"/> gives them, and <see cref="MemoryPlanner"/> places
/// them. A compiled backend estimates with its own program description instead (the CPU backend's
/// <c>EstimateMemory</c>), so remat's budget is judged on the arena that backend's program will get.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>The memory plan of <paramref name="graph"/> on the generic backend (with <paramref name="fuse"/> off, one kernel per node).</summary>
    public static MemoryPlan Of(Graph graph, bool fuse = true)
    {
        var plan = FusionPlanner.Plan(graph, FusionCapabilities.Any, fuse);
        var constant = ComputedOnce(plan.Graph);
        var steps = plan.Kernels.Select(kernel => new MemoryStep(kernel.Root, FusionPlan.Arguments(kernel).ToArray())
        {
            AlignedReads = MemoryStep.AlignedReadsOf(kernel.Members, kernel.Root),
            Persistent = kernel.Members.All(constant.Contains),
        }).ToArray();
        return PlanScheduled(plan.Graph, steps);
    }

    /// <summary>Orders <paramref name="steps"/> with <see cref="StepSchedule"/> and plans their memory in that order.</summary>
    public static MemoryPlan PlanScheduled(Graph graph, IReadOnlyList<MemoryStep> steps) =>
        MemoryPlanner.Plan(graph, StepSchedule.Of(graph, steps).Order.Select(i => steps[i]).ToArray());

    /// <summary>
    /// The nodes that read no graph input — iotas, fills and what is computed from them alone (ops are pure) — and
    /// are not graph outputs: a program computes them once, when it is built, and keeps them outside the arena.
    /// </summary>
    public static HashSet<Node> ComputedOnce(Graph graph)
    {
        var outputs = graph.Outputs.Select(o => o.Value).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        var constant = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            if (!outputs.Contains(node) && node.Operands.All(o => o is Literal || (o is Node n && constant.Contains(n))))
            {
                constant.Add(node);
            }
        }
        return constant;
    }
}
