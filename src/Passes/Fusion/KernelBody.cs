using System.Text;
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

    /// <summary>
    /// What the body <see cref="Build"/> makes of <paramref name="members"/> and <paramref name="root"/> is made of,
    /// as text, without building it: per member its op, attributes and type, and per operand a literal's value, an
    /// earlier member's position or which argument it is (with its type); then the root's position. Bodies with equal
    /// signatures differ only in names and source lines, so they lower to the same kernel: codegen keys its work on
    /// this, since a training step repeats a few bodies thousands of times (each time step of a recurrence, each
    /// parameter's optimizer update). <paramref name="arguments"/> receives the values read from outside, in the order
    /// of <see cref="Arguments"/>.
    /// </summary>
    public static string Signature(IReadOnlyList<Node> members, Node root, List<Value> arguments)
    {
        var position = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var text = new StringBuilder();
        for (int m = 0; m < members.Count; m++)
        {
            var member = members[m];
            text.Append(member.Op.Name).Append(member.Attributes).Append(':').Append(member.Type).Append('(');
            foreach (var operand in member.Operands)
            {
                if (operand is Literal literal)
                {
                    text.Append(literal.Scalar).Append(':').Append(literal.Type);
                }
                else if (position.TryGetValue(operand, out int p))
                {
                    text.Append(p >= 0 ? "m" : "a").Append(p >= 0 ? p : ~p);
                }
                else
                {
                    position[operand] = ~arguments.Count;
                    text.Append('a').Append(arguments.Count).Append(':').Append(operand.Type);
                    arguments.Add(operand);
                }
                text.Append(',');
            }
            text.Append(")\n");
            position[member] = m;
        }
        return text.Append("root m").Append(position.TryGetValue(root, out int r) && r >= 0 ? r
            : throw new ArgumentException($"root {root} is not among the members", nameof(root))).ToString();
    }
}
