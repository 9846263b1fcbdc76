using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Passes.Autodiff;

/// <summary>
/// Reverse-mode differentiation as IR construction: walks a tape of nodes backwards and, for each node a cotangent
/// reaches, asks its op's VJP rule to emit the operands' cotangents into the same builder. The result is one joint
/// forward+backward graph (as AOTAutograd builds); backward nodes carry the source line of the forward node they
/// differentiate. Because rules emit ordinary differentiable primitives, the backward nodes can be differentiated
/// again (grad of grad, forward-over-reverse).
/// </summary>
public static class ReverseMode
{
    /// <summary>
    /// Emits the cotangents of <paramref name="wrt"/> given cotangents for some values of the tape. Only nodes that
    /// depend on <paramref name="wrt"/> are differentiated; values with no path get no entry in the result.
    /// </summary>
    /// <param name="builder">The builder holding the tape; backward nodes are appended to it.</param>
    /// <param name="tape">Nodes in topological order (usually all nodes built so far).</param>
    /// <param name="seeds">Output values with their cotangents (same types).</param>
    /// <param name="wrt">The values to differentiate with respect to (float inputs or nodes).</param>
    /// <param name="isConstant">Nodes to treat as constants (built under NoGrad).</param>
    public static IReadOnlyDictionary<Value, Value> Backpropagate(
        GraphBuilder builder,
        IReadOnlyList<Node> tape,
        IEnumerable<(Value Output, Value Cotangent)> seeds,
        IReadOnlyCollection<Value> wrt,
        Func<Node, bool>? isConstant = null)
    {
        foreach (var w in wrt)
        {
            if (!w.Type.DType.IsFloat())
            {
                throw new ArgumentException($"cannot differentiate with respect to {Describe(w)} of type {w.Type}: only float values have gradients");
            }
        }
        var active = Active(tape, wrt, isConstant);
        using var scope = AutodiffRules.WithActiveValues(active);
        var cotangents = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        void Accumulate(Value target, Value cotangent)
        {
            if (cotangent.Type != target.Type)
            {
                throw new InvalidOperationException($"cotangent of type {cotangent.Type} for {Describe(target)} of type {target.Type}");
            }
            cotangents[target] = cotangents.TryGetValue(target, out var sum) ? builder.Add(sum, cotangent) : cotangent;
        }
        foreach (var (output, cotangent) in seeds)
        {
            if (active.Contains(output) && output.Type.DType.IsFloat())
            {
                Accumulate(output, cotangent);
            }
        }
        for (int n = tape.Count - 1; n >= 0; n--)
        {
            var node = tape[n];
            if (!cotangents.TryGetValue(node, out var cotangent) || !active.Contains(node) || node.Operands.Count == 0)
            {
                continue;
            }
            var op = node.Op;
            if (!op.HasVjp)
            {
                throw new MissingRuleException(op, "VJP", node.Loc);
            }
            using (builder.At(node.Loc))
            {
                var grads = op.Vjp(builder, node, cotangent);
                if (grads.Count != node.Operands.Count)
                {
                    throw new InvalidOperationException($"the VJP rule of {op.Name} returned {grads.Count} cotangents for {node.Operands.Count} operands");
                }
                for (int i = 0; i < grads.Count; i++)
                {
                    var operand = node.Operands[i];
                    if (grads[i] is { } g && operand is not Literal && operand.Type.DType.IsFloat() && active.Contains(operand))
                    {
                        if (g.Type != operand.Type)
                        {
                            throw new InvalidOperationException($"the VJP rule of {op.Name} returned {g.Type} for operand {i} of type {operand.Type}");
                        }
                        Accumulate(operand, g);
                    }
                }
            }
        }
        var result = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        foreach (var w in wrt)
        {
            if (cotangents.TryGetValue(w, out var g))
            {
                result[w] = g;
            }
        }
        return result;
    }

    /// <summary>The values that depend on <paramref name="wrt"/> through non-constant float paths.</summary>
    internal static HashSet<Value> Active(IReadOnlyList<Node> tape, IEnumerable<Value> wrt, Func<Node, bool>? isConstant)
    {
        var active = new HashSet<Value>(wrt, ReferenceEqualityComparer.Instance);
        foreach (var node in tape)
        {
            if (node.Type.DType.IsFloat() && !(isConstant?.Invoke(node) ?? false) && node.Operands.Any(active.Contains))
            {
                active.Add(node);
            }
        }
        return active;
    }

    internal static string Describe(Value value) => value switch
    {
        GraphInput input => $"input %{input.Name}",
        Node node => $"{node.Op.Name} node" + (node.Loc.IsKnown ? $" at {node.Loc}" : ""),
        _ => "a literal",
    };
}
