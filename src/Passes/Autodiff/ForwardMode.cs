using GraphDL.IR;

namespace GraphDL.Passes.Autodiff;

/// <summary>
/// Forward-mode differentiation as IR construction: walks a tape forwards and, for each node with a non-zero
/// tangent among its operands, asks its op's JVP rule to emit the result's tangent into the same builder.
/// </summary>
public static class ForwardMode
{
    /// <summary>Emits tangents for every tape node reached from the seeded <paramref name="tangents"/>; returns all tangents.</summary>
    public static IReadOnlyDictionary<Value, Value> Propagate(
        GraphBuilder builder,
        IReadOnlyList<Node> tape,
        IReadOnlyDictionary<Value, Value> tangents,
        Func<Node, bool>? isConstant = null)
    {
        var result = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        foreach (var (value, tangent) in tangents)
        {
            if (!value.Type.DType.IsFloat())
            {
                throw new ArgumentException($"cannot differentiate with respect to {ReverseMode.Describe(value)} of type {value.Type}: only float values have tangents");
            }
            if (tangent.Type != value.Type)
            {
                throw new ArgumentException($"tangent of type {tangent.Type} for {ReverseMode.Describe(value)} of type {value.Type}");
            }
            result[value] = tangent;
        }
        foreach (var node in tape)
        {
            if (!node.Type.DType.IsFloat() || (isConstant?.Invoke(node) ?? false))
            {
                continue;
            }
            var operandTangents = node.Operands.Select(o => o is Literal || !o.Type.DType.IsFloat() ? null : result.GetValueOrDefault(o)).ToArray();
            if (operandTangents.All(t => t is null))
            {
                continue;
            }
            if (!node.Op.HasJvp)
            {
                throw new MissingRuleException(node.Op, "JVP", node.Loc);
            }
            using (builder.At(node.Loc))
            {
                if (node.Op.Jvp(builder, node, operandTangents) is { } t)
                {
                    if (t.Type != node.Type)
                    {
                        throw new InvalidOperationException($"the JVP rule of {node.Op.Name} returned {t.Type} for a result of type {node.Type}");
                    }
                    result[node] = t;
                }
            }
        }
        return result;
    }
}
