using GraphDL.IR;
using GraphDL.Passes.Fusion;

namespace GraphDL.Passes.Memory;

/// <summary>
/// The arena a graph's compiled program will need, predicted before fusion, for the <c>remat</c> pass's budget: the
/// graph's kernels as a backend groups them, run in the order <see cref="KernelOrder.Schedule"/> gives them — the order
/// backends run them, where an optimizer update runs as soon as its gradient exists rather than after the whole
/// backward — and placed by <see cref="MemoryPlanner"/>, so the estimate has the liveness the program's arena has.
/// Like the CPU backend's program, it gives no buffer of their own to views (a reshape; a transpose read only by
/// matmuls, which read it in place as BLAS's transa/transb do; a transpose of a product, which the matmul writes
/// transposed), and computes values that depend on no graph input once, outside the arena. Graph inputs (data, parameters, optimizer state) and outputs live outside the arena and are not counted.
/// </summary>
public static class MemoryEstimate
{
    /// <summary>
    /// The memory plan of <paramref name="graph"/>'s program when its kernels are those <paramref name="kernels"/> plans
    /// (null: <see cref="DefaultKernels"/>). Its <see cref="MemoryPlan.LowerBoundBytes"/> is the peak of live bytes,
    /// its <see cref="MemoryPlan.ArenaBytes"/> the arena.
    /// </summary>
    public static MemoryPlan Of(Graph graph, Func<Graph, FusionPlan>? kernels = null)
    {
        var plan = (kernels ?? DefaultKernels)(graph);
        var consumers = FusionPlanner.Consumers(plan.Graph);
        var outputs = plan.Graph.Outputs.Select(o => o.Value).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        var constant = ComputedOnce(plan.Graph);
        var steps = KernelOrder.Schedule(plan).Kernels.Select(kernel => MemoryPlanner.StepOf(kernel) with
        {
            AliasOf = kernel.Members.Count == 1 && !outputs.Contains(kernel.Root) && IsView(kernel.Root, consumers) ? kernel.Root.Operands[0] : null,
            Persistent = kernel.Members.All(constant.Contains),
        }).ToArray();
        return MemoryPlanner.Plan(plan.Graph, steps);
    }

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

    /// <summary>The kernels of <paramref name="graph"/> when every fusion the traits allow is made (no backend limits).</summary>
    public static FusionPlan DefaultKernels(Graph graph) => FusionPlanner.Plan(graph, FusionCapabilities.Any);

    /// <summary>
    /// A reshape (its operand's bytes under another shape); a transpose whose every reader is a matmul; or a transpose
    /// of a matmul product that nothing else reads (the matmul writes it transposed, Cᵀ = BᵀAᵀ, into one buffer).
    /// </summary>
    private static bool IsView(Node node, Dictionary<Node, List<Node>> consumers) => node.Operands is [not Literal]
        && (node.Op.Name == "reshape"
            || (node.Op.Name == "permute" && consumers[node].Count > 0 && consumers[node].All(r => r.Op.Name == "matmul"))
            || (node.Op.Name == "permute" && node.Operands[0] is Node { Op.Name: "matmul" } product && consumers[product].Count == 1));
}
