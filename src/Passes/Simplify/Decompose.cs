using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Passes.Simplify;

/// <summary>
/// <c>decompose</c>: rewrites that the DSL did not already do (it decomposes composites such as softmax into
/// primitives), so that a backend sees fewer kinds of op. Each keeps every result bitwise:
/// <list type="bullet">
/// <item><b>Ordered comparisons to lt/le</b>: <c>gt(a, b) → lt(b, a)</c>, <c>ge(a, b) → le(b, a)</c>. IEEE ordered
/// comparisons are symmetric (with a NaN both sides are false), so a backend implements lt, le, eq and ne only.</item>
/// <item><b>Squares</b>: <c>pow(x, 2) → mul(x, x)</c> for f16, bf16 and f32 with a splat exponent of 2. The
/// product of two such values is exact in double (at most 2·24 significant bits), and pow of the same operands returns
/// that exactly representable value (pow is faithfully rounded); both then round once to the dtype. Specials agree:
/// (±0)² = +0, (±inf)² = +inf, NaN² = NaN. Not for f64, where x·x rounds and pow need not round the same way.</item>
/// <item><b>One-element windows</b>: <c>reduce_window</c> whose window is 1 on every axis with no padding reads one
/// element per output, x[o·stride], which is a strided <c>slice</c> — for max on any dtype (max(−inf, x) is x, NaN and
/// −0.0 included) and sum on integers (0 + x). Not sum on floats: it starts from +0.0, and 0.0 + (−0.0) is +0.0.</item>
/// <item><b>Concat clean-up</b>: operands with nothing along the axis are dropped, and a concat of one operand is
/// that operand.</item>
/// </list>
/// Nodes that a rewrite replaces keep their location on the new nodes.
/// </summary>
public sealed class Decompose : IPass
{
    public string Name => "decompose";

    public string Description => "bit-exact rewrites to fewer kinds of op: gt/ge to lt/le, pow(x,2) to mul, 1-element windows to slice, concat clean-up";

    public Graph Run(Graph graph)
    {
        var rewrite = new GraphRewrite(graph);
        foreach (var node in graph.Nodes)
        {
            var operands = rewrite.Operands(node);
            var replacement = SwapComparison(rewrite, node, operands)
                ?? Square(rewrite, node, operands)
                ?? OneElementWindow(rewrite, node, operands)
                ?? ConcatCleanUp(rewrite, node, operands);
            if (replacement is null)
            {
                rewrite.Copy(node);
            }
            else
            {
                rewrite.Map(node, replacement);
            }
        }
        return rewrite.Finish();
    }

    /// <summary>gt(a, b) → lt(b, a) and ge(a, b) → le(b, a).</summary>
    private static Value? SwapComparison(GraphRewrite rewrite, Node node, Value[] operands)
    {
        if (!node.Op.Has(OpTraits.Comparison))
        {
            return null;
        }
        OpDef? mirrored = node.Op == Gt.Instance ? Lt.Instance : node.Op == Ge.Instance ? Le.Instance : null;
        return mirrored is null ? null : rewrite.Emit(node.Loc, mirrored, [operands[1], operands[0]], node.Attributes);
    }

    /// <summary>pow(x, 2) → mul(x, x) for float types of at most 24 significant bits.</summary>
    private static Value? Square(GraphRewrite rewrite, Node node, Value[] operands)
    {
        if (node.Op != Pow.Instance || node.Type.DType is not (DType.F32 or DType.F16 or DType.BF16) || operands[0] is Literal)
        {
            return null;
        }
        var exponent = operands[1] switch
        {
            Literal literal => literal.Scalar,
            Node { Op: Full } full => full.Attributes.Scalar("value"),
            _ => (Scalar?)null,
        };
        return exponent is { } e && e.AsDouble() == 2 ? rewrite.Emit(node.Loc, Mul.Instance, [operands[0], operands[0]], AttributeMap.Empty) : null;
    }

    /// <summary>reduce_window with a window of ones and no padding → slice with the window's strides (max, or integer sum).</summary>
    private static Value? OneElementWindow(GraphRewrite rewrite, Node node, Value[] operands)
    {
        if (node.Op != ReduceWindow.Instance)
        {
            return null;
        }
        var x = operands[0].Type;
        var attributes = node.Attributes;
        bool exact = attributes.String("mode") == "max" || !x.DType.IsFloat();
        if (!exact || attributes.Ints("window").Any(w => w != 1) || attributes.Ints("padding").Any(p => p != 0))
        {
            return null;
        }
        var stride = attributes.Ints("stride");
        var step = stride.Count == 0 ? Enumerable.Repeat(1, x.Rank).ToArray() : stride.ToArray();
        return rewrite.Emit(node.Loc, Slice.Instance, [operands[0]], AttributeMap.Of(
            ("start", new IntListAttr(new int[x.Rank])),
            ("stop", new IntListAttr(x.Shape)),
            ("step", new IntListAttr(step))));
    }

    /// <summary>concat without its empty operands; of one operand, that operand.</summary>
    private static Value? ConcatCleanUp(GraphRewrite rewrite, Node node, Value[] operands)
    {
        if (node.Op != Concat.Instance)
        {
            return null;
        }
        int axis = (int)node.Attributes.Int("axis");
        var kept = operands.Where(o => o.Type.Shape[axis] > 0).ToArray();
        if (kept.Length == 0)
        {
            kept = [operands[0]];
        }
        if (kept.Length == operands.Length)
        {
            return operands.Length == 1 ? operands[0] : null;
        }
        return kept.Length == 1 ? kept[0] : rewrite.Emit(node.Loc, Concat.Instance, kept, node.Attributes);
    }
}
