namespace GraphDL.IR.Ops;

/// <summary>
/// Elementwise select: <c>cond ? a : b</c>. The condition is bool; a, b and the result share one type.
/// <code>%3 = where(%0, %1, 0.0) : f32[4]</code>
/// </summary>
public sealed class Where : OpDef
{
    public static readonly Where Instance = new();

    public override string Name => "where";

    public override OpTraits Traits => OpTraits.Elementwise;

    public override int MinOperands => 3;

    public override TensorType InferType(OpContext context)
    {
        TensorType cond = context[0], a = context[1], b = context[2];
        if (cond.DType != DType.Bool)
        {
            throw context.Error($"condition must be bool, got {cond}");
        }
        if (a != b)
        {
            throw context.Error($"branch types differ: {a} and {b}");
        }
        if (cond.Shape != a.Shape)
        {
            throw context.Error($"condition shape {cond} differs from branch shape {a}");
        }
        return a;
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        HostTensor cond = context[0], a = context[1], b = context[2];
        var condition = cond.ToBoolArray();
        // Select by index from a or b, so every dtype (i64 included) is copied exactly.
        var parts = new (HostTensor, long)[a.ElementCount];
        for (long i = 0; i < parts.LongLength; i++)
        {
            parts[i] = (condition[i] ? a : b, i);
        }
        return HostTensor.FromParts(a.Type, parts);
    }

    /// <summary>A select; on vectors a bitwise select by the lane mask.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Any, "{0} ? {1} : {2}" },
        { SnippetForm.Vector, DTypeClass.Any, "{V}.ConditionalSelect({0}, {1}, {2})" },
    };

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>a receives the cotangent where cond holds and b elsewhere (zeros as a literal 0); cond receives none.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        var cond = node.Operands[0];
        var zero = builder.Splat(0, cotangent.Type);
        return
        [
            null,
            AutodiffRules.NeedsGradient(node, 1) ? builder.Where(cond, cotangent, zero) : null,
            AutodiffRules.NeedsGradient(node, 2) ? builder.Where(cond, zero, cotangent) : null,
        ];
    }

    /// <summary>The branches' tangents selected by cond (a missing one is a literal 0).</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents)
    {
        if (tangents[1] is null && tangents[2] is null)
        {
            return null;
        }
        var zero = builder.Splat(0, node.Type);
        return builder.Where(node.Operands[0], tangents[1] ?? zero, tangents[2] ?? zero);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>where(cond, a, b)</c>.</summary>
    public static Node Where(this GraphBuilder builder, Value condition, Value a, Value b) =>
        builder.Emit(Ops.Where.Instance, condition, a, b);
}
