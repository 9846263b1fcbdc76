using System.Globalization;
using System.Text;
using GraphDL.IR;

namespace GraphDL.Passes.Fusion;

/// <summary>
/// The outcome of <see cref="FusionPlanner.Plan"/>: the kernels in schedule order, every producer → consumer edge
/// that was not fused with its reason, and the memory traffic fusion saves. <see cref="Format"/> is the fusion
/// report printed by <c>graphdl compile --emit fusion</c>.
/// </summary>
public sealed class FusionPlan(Graph graph, IReadOnlyList<FusionKernel> kernels, IReadOnlyList<UnfusedEdge> unfused,
    IReadOnlyDictionary<Node, string> materialized)
{
    public Graph Graph { get; } = graph;

    public IReadOnlyList<FusionKernel> Kernels { get; } = kernels;

    public IReadOnlyList<UnfusedEdge> Unfused { get; } = unfused;

    /// <summary>Why each kernel root is stored rather than recomputed by its readers.</summary>
    public IReadOnlyDictionary<Node, string> Materialized { get; } = materialized;

    /// <summary>Bytes read and written with one kernel per primitive.</summary>
    public long UnfusedBytes => Graph.Nodes.Sum(n => NodeCost.Of(n).Bytes);

    /// <summary>Bytes read and written by the planned kernels: each reads its arguments once and writes its root.</summary>
    public long FusedBytes => Kernels.Sum(k => k.Members.Count == 1
        ? NodeCost.Of(k.Root).Bytes
        : Arguments(k).Sum(a => a.Type.SizeInBytes) + k.Root.Type.SizeInBytes);

    public long BytesSaved => UnfusedBytes - FusedBytes;

    /// <summary>The distinct values kernel <paramref name="kernel"/> reads from outside itself (graph inputs or other roots).</summary>
    public static IEnumerable<Value> Arguments(FusionKernel kernel)
    {
        var inside = kernel.Members.ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        return kernel.Members.SelectMany(m => m.Operands)
            .Where(o => o is not Literal && !(o is Node n && inside.Contains(n)))
            .Distinct(ReferenceEqualityComparer.Instance).Cast<Value>();
    }

    /// <summary>The report: a summary line a script can read, the kernels, then the unfused edges with reasons.</summary>
    public string Format()
    {
        var names = NodeNames(Graph);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"kernels: {Kernels.Count}  nodes: {Graph.Nodes.Count}  ")
            .Append(CultureInfo.InvariantCulture, $"bytes unfused: {UnfusedBytes}  fused: {FusedBytes}  saved: {BytesSaved}\n");
        foreach (var kernel in Kernels)
        {
            text.Append(CultureInfo.InvariantCulture, $"{kernel.Name} = {names[kernel.Root]} {kernel.Root.Op.Name} : {kernel.Root.Type}");
            if (kernel.Members.Count > 1)
            {
                text.Append("  fuses ").AppendJoin(", ", kernel.Members.Select(m => $"{names[m]} {m.Op.Name}" + (m.Loc.IsKnown ? $" ({m.Loc})" : "")));
            }
            text.Append('\n');
        }
        if (Unfused.Count > 0)
        {
            text.Append("not fused:\n");
            foreach (var edge in Unfused)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"  {names[edge.Producer]} {edge.Producer.Op.Name} -> {names[edge.Consumer]} {edge.Consumer.Op.Name}: {edge.Reason}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>Node names as the printer numbers them (%0, %1, ...), so the report lines up with printed IR.</summary>
    private static Dictionary<Node, string> NodeNames(Graph graph)
    {
        var names = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            names[graph.Nodes[i]] = $"%{i}";
        }
        return names;
    }
}

/// <summary>A node's cost as its op estimates it.</summary>
public static class NodeCost
{
    public static OpCost Of(Node node) =>
        node.Op.Cost(new OpContext(node.Op, node.Operands.Select(o => o.Type).ToArray(), node.Attributes, node.Loc, node.Type));
}
