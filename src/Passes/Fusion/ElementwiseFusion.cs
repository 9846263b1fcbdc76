using GraphDL.IR;

namespace GraphDL.Passes.Fusion;

/// <summary>A set of nodes that runs as one kernel, in topological order; <see cref="IsFusible"/> groups are elementwise loops.</summary>
public sealed class NodeGroup(int index, Shape? iterationShape)
{
    public int Index { get; } = index;

    /// <summary>The shape every node of an elementwise group produces (null for a single non-elementwise node).</summary>
    public Shape? IterationShape { get; } = iterationShape;

    public List<Node> Nodes { get; } = [];

    public bool IsFusible => IterationShape is not null;

    public override string ToString() => $"group {Index}: {string.Join(", ", Nodes.Select(n => n.Op.Name))}";
}

/// <summary>
/// Groups a graph's nodes into kernels: chains of elementwise ops (with the broadcasts feeding them, which become
/// index arithmetic) form one loop; every other node is a kernel of its own. A node joins the group of its latest
/// producer when that group is an elementwise loop over the same shape, so groups can run in index order.
/// With fusion off, every node is its own group.
/// </summary>
public static class ElementwiseFusion
{
    /// <summary>Whether <paramref name="node"/> can be computed inside an elementwise loop.</summary>
    public static bool IsLoopable(Node node, Func<Node, bool> supported) =>
        supported(node) && (node.Op.Has(OpTraits.Elementwise) || node.Op.Name == "broadcast_in_dim");

    public static IReadOnlyList<NodeGroup> Group(Graph graph, bool fuse, Func<Node, bool> supported)
    {
        var groups = new List<NodeGroup>();
        var groupOf = new Dictionary<Node, NodeGroup>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            bool loopable = IsLoopable(node, supported);
            NodeGroup? target = null;
            if (fuse && loopable)
            {
                // A node reading only inputs and literals depends on no group: the most recent one will do.
                var latest = node.Operands.OfType<Node>().Select(p => groupOf[p]).MaxBy(g => g.Index)
                    ?? (groups.Count > 0 ? groups[^1] : null);
                // broadcast_in_dim reads its operand through index math, so it never joins its operand's group.
                if (latest is { IsFusible: true } && latest.IterationShape == node.Type.Shape
                    && node.Op.Name != "broadcast_in_dim")
                {
                    target = latest;
                }
            }
            if (target is null)
            {
                target = new NodeGroup(groups.Count, loopable ? node.Type.Shape : null);
                groups.Add(target);
            }
            target.Nodes.Add(node);
            groupOf[node] = target;
        }
        return groups;
    }
}
