using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// Rebuilds a joint graph so that the backward reads only the forward values in a given saved set: each other
/// forward value the backward needs is recomputed by a copy of its forward nodes, back to saved values and graph
/// inputs, emitted right before its first backward use (so a scheduler that follows graph order frees the copies
/// soon after). Copies keep the operands of the originals, so random ops reuse the same Philox (seed, offset)
/// values and draw the same numbers. The <c>{checkpoint=K}</c> markers are removed from every node.
/// </summary>
internal static class RematRewriter
{
    public static Graph Rewrite(Graph graph, IReadOnlySet<Node> forward, IReadOnlySet<Node> saved) => Rewrite(graph, forward, saved, out _);

    /// <summary>Also gives each value of <paramref name="graph"/> its counterpart in the result (not a recomputed copy).</summary>
    public static Graph Rewrite(Graph graph, IReadOnlySet<Node> forward, IReadOnlySet<Node> saved, out IReadOnlyDictionary<Value, Value> counterparts)
    {
        var builder = new GraphBuilder(graph.Name);
        var map = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        foreach (var input in graph.Inputs)
        {
            map[input] = builder.AddInput(input.Name, input.Type, input.Role);
        }
        var copies = new Dictionary<Node, Value>(ReferenceEqualityComparer.Instance);
        bool Recomputed(Value value) => value is Node node && forward.Contains(node) && !saved.Contains(node);
        Value Original(Value value) => value is Literal ? value : map[value];

        Value Copy(Node target)
        {
            var pending = new Stack<Node>([target]);
            while (pending.TryPeek(out var node))
            {
                if (copies.ContainsKey(node))
                {
                    pending.Pop();
                    continue;
                }
                var missing = node.Operands.OfType<Node>().Where(o => Recomputed(o) && !copies.ContainsKey(o)).ToArray();
                if (missing.Length > 0)
                {
                    foreach (var operand in missing)
                    {
                        pending.Push(operand);
                    }
                    continue;
                }
                pending.Pop();
                copies[node] = Emit(builder, node, node.Operands.Select(o => Recomputed(o) ? copies[(Node)o] : Original(o)).ToArray());
            }
            return copies[target];
        }

        foreach (var node in graph.Nodes)
        {
            var operands = forward.Contains(node)
                ? node.Operands.Select(Original).ToArray()
                : node.Operands.Select(o => Recomputed(o) ? Copy((Node)o) : Original(o)).ToArray();
            map[node] = Emit(builder, node, operands);
        }
        foreach (var output in graph.Outputs)
        {
            builder.Output(Original(output.Value), output.Name, output.Aliases is null ? null : (GraphInput)map[output.Aliases]);
        }
        counterparts = map;
        return builder.Build();
    }

    /// <summary>Whether any node carries a <c>{checkpoint=K}</c> marker.</summary>
    public static bool IsMarked(Node node) => node.Attributes.Find(AttributeSchema.CheckpointRegion) is not null;

    private static Node Emit(GraphBuilder builder, Node node, IReadOnlyList<Value> operands)
    {
        var attributes = IsMarked(node)
            ? new AttributeMap(node.Attributes.Where(a => a.Key != AttributeSchema.CheckpointRegion))
            : node.Attributes;
        using (builder.At(node.Loc))
        {
            return builder.Emit(node.Op, operands, attributes);
        }
    }
}
