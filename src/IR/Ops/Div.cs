namespace GraphDL.IR.Ops;

/// <summary>
/// Division, a / b. Floats follow IEEE (x/0 is ±inf or NaN). Integers truncate toward zero and, as in XLA,
/// never trap: x / 0 is −1 and INT_MIN / −1 is INT_MIN, so every backend can agree on every input.
/// <code>%2 = div(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Div : BinaryElementwiseOp
{
    public static readonly Div Instance = new();

    public override string Name => "div";

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => a / b;

    // Division by zero and the one overflowing quotient are defined rather than trapping. The i32 case is
    // handled by the caller's wrap: INT32_MIN / -1 computed in long is 2^31, which wraps to INT32_MIN.
    public override long ApplyInteger(long a, long b) => b == 0 ? -1 : b == -1 ? unchecked(-a) : a / b;

    /// <summary>
    /// IEEE division, exactly rounded in the dtype as the double quotient rounded once is. No integer form: C# rejects
    /// a division by a literal 0, and loop kernels leave integer division out.
    /// </summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{0} / {1}" },
        { SnippetForm.Vector, DTypeClass.Float, "{0} / {1}" },
    };

    protected override bool HasPartials => true;

    /// <summary>∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b² = −y/b (from the node itself).</summary>
    protected override (Value? A, Value? B) Partials(GraphBuilder builder, Node node)
    {
        var b = node.Operands[1];
        return (AutodiffRules.NeedsGradient(node, 0) ? builder.Reciprocal(b) : null,
                AutodiffRules.NeedsGradient(node, 1) ? builder.Neg(builder.Div(node, b)) : null);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>div(a, b)</c>.</summary>
    public static Node Div(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Div.Instance, a, b);
}
