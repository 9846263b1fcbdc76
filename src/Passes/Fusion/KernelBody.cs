using GraphDL.IR;

namespace GraphDL.Passes.Fusion;

/// <summary>
/// The body of one kernel as an isolated graph: its inputs are the values the members read from outside (in first
/// use order), its nodes are copies of the members (each keeping its source line) and its one output is the root.
/// Codegen lowers such bodies; the outliner wraps them in <c>fused</c> nodes.
/// </summary>
public sealed record KernelBody(Graph Body, IReadOnlyList<Value> Arguments)
{
    /// <summary>Builds the body of <paramref name="members"/> (in graph order) whose result is <paramref name="root"/>.</summary>
    public static KernelBody Build(string name, IReadOnlyList<Node> members, Node root)
    {
        var inside = members.ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        var builder = new GraphBuilder(name);
        var map = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        var arguments = new List<Value>();
        Value Operand(Value value)
        {
            if (value is Literal)
            {
                return value;
            }
            if (map.TryGetValue(value, out var mapped))
            {
                return mapped;
            }
            if (value is Node n && inside.Contains(n))
            {
                throw new ArgumentException($"member {n} is used before it is defined: members must be in graph order", nameof(members));
            }
            var input = builder.AddInput($"in{arguments.Count}", value.Type);
            arguments.Add(value);
            map[value] = input;
            return input;
        }
        foreach (var member in members)
        {
            var operands = member.Operands.Select(Operand).ToArray();
            using (builder.At(member.Loc))
            {
                map[member] = builder.Emit(member.Op, operands, member.Attributes);
            }
        }
        builder.Output(map.TryGetValue(root, out var result) ? result
            : throw new ArgumentException($"root {root} is not among the members", nameof(root)));
        return new KernelBody(builder.Build(), arguments);
    }
}
