using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// The facts the <c>remat</c> pass and memory reports need about a joint forward+backward graph.
/// <para>The <b>forward part</b> is every node the loss (output 0, the output <c>autodiff</c> differentiates)
/// depends on; every other node is the <b>backward part</b> (gradients, optimizer and running-statistics updates).
/// The definition is structural, so it survives CSE and the other passes that re-emit nodes. A <b>saved
/// activation</b> is a forward node that a backward node reads: it must stay alive from the forward to that read.</para>
/// </summary>
public sealed class RematAnalysis
{
    private RematAnalysis(Graph graph, HashSet<Node> forward, IReadOnlyList<Node> saved)
    {
        Graph = graph;
        Forward = forward;
        Saved = saved;
    }

    public Graph Graph { get; }

    /// <summary>The forward nodes (ancestors of output 0, itself included).</summary>
    public IReadOnlySet<Node> Forward { get; }

    /// <summary>The saved activations, in graph order.</summary>
    public IReadOnlyList<Node> Saved { get; }

    /// <summary>Bytes of <see cref="Saved"/>: the activation memory held from the forward into the backward.</summary>
    public long SavedBytes => Saved.Sum(n => n.Type.SizeInBytes);

    public static RematAnalysis Of(Graph graph)
    {
        var forward = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        if (graph.Outputs.Count > 0 && graph.Outputs[0].Value is Node loss)
        {
            var stack = new Stack<Node>([loss]);
            while (stack.TryPop(out var node))
            {
                if (forward.Add(node))
                {
                    foreach (var operand in node.Operands.OfType<Node>())
                    {
                        stack.Push(operand);
                    }
                }
            }
        }
        var saved = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes.Where(n => !forward.Contains(n)))
        {
            saved.UnionWith(node.Operands.OfType<Node>().Where(forward.Contains));
        }
        return new(graph, forward, graph.Nodes.Where(saved.Contains).ToArray());
    }
}
