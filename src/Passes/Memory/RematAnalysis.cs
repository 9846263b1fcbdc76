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

    /// <summary>
    /// The recomputed values, in graph order: backward nodes that repeat a forward node — the same op, attributes and
    /// type on the same operands, or on recomputed copies of them. CSE runs before <c>remat</c>, so these are the
    /// copies the pass emitted (or, in a graph CSE never saw, values its author computed twice).
    /// </summary>
    public IReadOnlyList<Node> Recomputed => _recomputed ??= FindRecomputed();

    private IReadOnlyList<Node>? _recomputed;

    private Node[] FindRecomputed()
    {
        var byShape = Graph.Nodes.Where(Forward.Contains).ToLookup(n => (n.Op.Name, n.Type, n.Attributes));
        // Each recomputed copy stands for the forward node it repeats, so a copy of a copy's consumer matches too.
        var original = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        Value Canonical(Value value) => value is Node node && original.TryGetValue(node, out var forward) ? forward : value;
        foreach (var node in Graph.Nodes.Where(n => !Forward.Contains(n)))
        {
            var operands = node.Operands.Select(Canonical).ToArray();
            var match = byShape[(node.Op.Name, node.Type, node.Attributes)]
                .FirstOrDefault(f => f.Operands.Count == operands.Length && f.Operands.Zip(operands).All(p => ReferenceEquals(p.First, p.Second) || (p.First is Literal a && p.Second is Literal b && a.Type == b.Type && a.Scalar.Equals(b.Scalar))));
            if (match is not null)
            {
                original[node] = match;
            }
        }
        return Graph.Nodes.Where(original.ContainsKey).ToArray();
    }

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
