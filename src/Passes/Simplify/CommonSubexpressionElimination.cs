using GraphDL.IR;

namespace GraphDL.Passes.Simplify;

/// <summary>
/// <c>cse</c>: merges nodes that compute the same thing — the same op, equal attributes and the same operands — into
/// the first of them, which keeps its source location. Operands compare as values (after earlier merges), literal
/// operands by dtype, shape and bits (so <c>0.0</c> and <c>-0.0</c>, or two NaNs of different payload, stay apart).
/// For ops with <see cref="OpTraits.Commutative"/> the operand order does not matter: <c>add(%a, %b)</c> and
/// <c>add(%b, %a)</c> merge.
/// <para>
/// Random ops (<see cref="OpTraits.Random"/>) are merged by the same rule, which is correct because they are
/// counter-based: a draw is a deterministic function of its (seed, offset) operands and its attributes (see
/// <c>Philox</c>), so two draws with the same seed and offset values produce the same bits. Two draws with different
/// offsets, or with seeds or offsets that are different values, are never merged, even when those values happen
/// to be equal at run time.
/// </para>
/// <code>
/// %0 = exp(%x) : f32[4]
/// %1 = exp(%x) : f32[4]        // merged into %0
/// %2 = add(%0, %1) : f32[4]    // becomes add(%0, %0)
/// </code>
/// </summary>
public sealed class CommonSubexpressionElimination : IPass
{
    public string Name => "cse";

    public string Description => "merge nodes with the same op, attributes and operands";

    public Graph Run(Graph graph)
    {
        var rewrite = new GraphRewrite(graph);
        var seen = new Dictionary<Key, Node>();
        var order = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        foreach (var input in rewrite.Builder.Inputs)
        {
            order[input] = order.Count;
        }
        foreach (var node in graph.Nodes)
        {
            var operands = rewrite.Operands(node);
            var key = new Key(node.Op, node.Attributes, OperandKeys(node.Op, operands, order));
            if (seen.TryGetValue(key, out var existing))
            {
                rewrite.Map(node, existing);
                continue;
            }
            var copy = rewrite.Copy(node);
            order[copy] = order.Count;
            seen[key] = copy;
        }
        return rewrite.Finish();
    }

    private static OperandKey[] OperandKeys(OpDef op, Value[] operands, Dictionary<Value, int> order)
    {
        var keys = operands.Select(o => o is Literal literal ? new OperandKey(-1, literal.Scalar, literal.Type) : new OperandKey(order[o], default, null)).ToArray();
        if (op.Has(OpTraits.Commutative))
        {
            Array.Sort(keys, static (a, b) => a.CompareTo(b));
        }
        return keys;
    }

    /// <summary>An operand: a value by its position in the new graph (inputs, then nodes), or a literal (Id −1) by its bits and type.</summary>
    private readonly record struct OperandKey(int Id, Scalar Literal, TensorType? LiteralType) : IComparable<OperandKey>
    {
        /// <summary>Values before literals, values by position, literals by type and bits: any total order serves, this one is deterministic.</summary>
        public int CompareTo(OperandKey other)
        {
            if (Id != other.Id)
            {
                return Id == -1 ? 1 : other.Id == -1 ? -1 : Id.CompareTo(other.Id);
            }
            if (Id != -1)
            {
                return 0;
            }
            int byType = string.CompareOrdinal(LiteralType!.ToString(), other.LiteralType!.ToString());
            return byType != 0 ? byType : Bits(Literal).CompareTo(Bits(other.Literal));
        }

        private static long Bits(Scalar scalar) => scalar.DType.IsFloat() ? BitConverter.DoubleToInt64Bits(scalar.AsDouble()) : scalar.AsInt64();
    }

    /// <summary>What makes two nodes the same computation; attribute maps and scalars compare by value (bitwise for floats and tensors).</summary>
    private sealed record Key(OpDef Op, AttributeMap Attributes, OperandKey[] Operands)
    {
        public bool Equals(Key? other) =>
            other is not null && ReferenceEquals(Op, other.Op) && Attributes.Equals(other.Attributes) && Operands.AsSpan().SequenceEqual(other.Operands);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(Op);
            hash.Add(Attributes);
            foreach (var operand in Operands)
            {
                hash.Add(operand);
            }
            return hash.ToHashCode();
        }
    }
}
