using GraphDL.IR;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Visualization;

namespace GraphDL.Examples.Visualize;

/// <summary>
/// The kernels of a backend's fusion plan as picture clusters: each kernel with more than one node becomes a box
/// around the nodes it fuses, labelled with its name and its ops. A cheap node that the planner recomputes inside
/// several kernels (rather than storing it) is drawn once, in the first kernel that runs it; the label of each
/// later kernel names it as recomputed there.
/// </summary>
public static class KernelClusters
{
    public static IReadOnlyList<DotCluster> Of(FusionPlan plan)
    {
        var placed = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var index = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < plan.Graph.Nodes.Count; i++)
        {
            index[plan.Graph.Nodes[i]] = i;
        }
        var clusters = new List<DotCluster>();
        foreach (var kernel in plan.Kernels.Where(k => k.Members.Count > 1))
        {
            var own = kernel.Members.Where(placed.Add).ToArray();
            var recomputed = kernel.Members.Except(own).Select(n => $"%{index[n]}").ToArray();
            var label = $"kernel {kernel.Name}: {string.Join(" ", kernel.Members.Select(m => m.Op.Name).Distinct())}"
                + (recomputed.Length > 0 ? $"\n(recomputes {string.Join(", ", recomputed)})" : "");
            if (own.Length > 0)
            {
                clusters.Add(new DotCluster(label, own));
            }
        }
        return clusters;
    }
}
