using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// One step of a schedule as the memory planner sees it: the value it leaves in a buffer and the values it reads.
/// Graph inputs, literals, graph outputs and persistent values among <see cref="Reads"/> live outside the arena.
/// </summary>
public sealed record MemoryStep(Node Produces, IReadOnlyList<Value> Reads)
{
    /// <summary>The value whose buffer this step's result names (a reshape that copies nothing); null when it has a buffer of its own.</summary>
    public Value? AliasOf { get; init; }

    /// <summary>Computed once and kept for the program's lifetime (a hoisted constant): it has a buffer of its own, outside the arena.</summary>
    public bool Persistent { get; init; }

    /// <summary>
    /// The reads this step makes only at the flat index it writes (through elementwise ops and reshapes alone), so
    /// its result may take over the buffer of such a read of the same size that dies at this step: each element is
    /// read before the element at the same index is written.
    /// </summary>
    public IReadOnlyList<Value> AlignedReads { get; init; } = [];

    /// <summary>Whether <paramref name="value"/> is among <see cref="AlignedReads"/>.</summary>
    public bool ReadsAligned(Value value) => AlignedReads.Any(r => ReferenceEquals(r, value));

    /// <summary>
    /// The values a kernel of <paramref name="members"/> computing <paramref name="root"/> reads only at the flat
    /// index of the root element it computes: every path from the value to the root runs through elementwise ops of
    /// the value's shape and reshapes, with the root's element count. Other members (a broadcast learning rate, a
    /// row reduction) may read other values any way they like.
    /// </summary>
    public static IReadOnlyList<Value> AlignedReadsOf(IReadOnlyList<Node> members, Node root)
    {
        var inside = members.ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        var consumers = members.ToDictionary(m => m, _ => new List<Node>(), (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        var external = new Dictionary<Value, List<Node>>(ReferenceEqualityComparer.Instance);
        foreach (var member in members)
        {
            foreach (var operand in member.Operands.Distinct(ReferenceEqualityComparer.Instance).Cast<Value>())
            {
                if (operand is Node node && inside.Contains(node))
                {
                    consumers[node].Add(member);
                }
                else if (operand is not Literal)
                {
                    (external.TryGetValue(operand, out var list) ? list : external[operand] = []).Add(member);
                }
            }
        }
        var memo = new Dictionary<Node, bool>(ReferenceEqualityComparer.Instance);
        // A member whose element i depends on its operands' elements i only, and whose consumers pass that on to the root.
        bool Aligned(Node node) => memo.TryGetValue(node, out bool known) ? known : memo[node] =
            node.Type.ElementCount == root.Type.ElementCount
            && (node.Op.Has(OpTraits.View) || (node.Op.Has(OpTraits.Elementwise) && node.Operands.All(o => o is Literal || o.Type.Shape == node.Type.Shape)))
            && (ReferenceEquals(node, root) || (consumers[node].Count > 0 && consumers[node].All(Aligned)));
        return external.Where(e => e.Key.Type.ElementCount == root.Type.ElementCount && e.Value.All(Aligned)).Select(e => e.Key).ToArray();
    }
}
