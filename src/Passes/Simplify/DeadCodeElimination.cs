using GraphDL.IR;

namespace GraphDL.Passes.Simplify;

/// <summary>
/// <c>dce</c>: removes every node whose value reaches no output. Graph ops are pure (random ops included: they are
/// functions of their seed and offset operands), so an unused node has no effect and can go. Inputs stay even when
/// unused, since they are the graph's calling convention.
/// <code>
/// %0 = exp(%x) : f32[4]        // unused: removed
/// %1 = neg(%x) : f32[4]
/// return %1
/// </code>
/// </summary>
public sealed class DeadCodeElimination : IPass
{
    public string Name => "dce";

    public string Description => "remove nodes whose values reach no output";

    public Graph Run(Graph graph)
    {
        var live = LiveNodes(graph);
        var rewrite = new GraphRewrite(graph);
        foreach (var node in graph.Nodes)
        {
            if (live.Contains(node))
            {
                rewrite.Copy(node);
            }
        }
        return rewrite.Finish();
    }

    /// <summary>The nodes some output depends on: a backward walk from the outputs (nodes are in topological order).</summary>
    internal static HashSet<Node> LiveNodes(Graph graph)
    {
        var live = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var output in graph.Outputs)
        {
            if (output.Value is Node node)
            {
                live.Add(node);
            }
        }
        for (int n = graph.Nodes.Count - 1; n >= 0; n--)
        {
            var node = graph.Nodes[n];
            if (!live.Contains(node))
            {
                continue;
            }
            foreach (var operand in node.Operands)
            {
                if (operand is Node producer)
                {
                    live.Add(producer);
                }
            }
        }
        return live;
    }
}
