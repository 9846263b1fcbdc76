namespace GraphDL.IR.Ops;

/// <summary>
/// Power, aᵇ (IEEE pow: pow(x, 0) is 1, a negative base with a non-integer exponent is NaN).
/// <code>%2 = pow(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Pow : BinaryElementwiseOp
{
    public static readonly Pow Instance = new();

    public override string Name => "pow";

    public override DTypeClass Accepts => DTypeClass.Float;

    public override double ApplyFloat(double a, double b) => Math.Pow(a, b);

    /// <summary>Math.Pow in double, rounded once, as the reference.</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "Math.Pow({0}, {1})" },
    };

    protected override bool HasPartials => true;

    /// <summary>
    /// ∂aᵇ/∂a = b·a^(b−1) (built as pow(a, b − 1)·b rather than b·y/a, so it stays right at a = 0; a literal b gives
    /// a literal b − 1), ∂aᵇ/∂b = y·ln a (from the node itself; NaN for a &lt; 0, where aᵇ is not differentiable in b).
    /// </summary>
    protected override (Value? A, Value? B) Partials(GraphBuilder builder, Node node)
    {
        Value a = node.Operands[0], b = node.Operands[1];
        Value? da = null, db = null;
        if (AutodiffRules.NeedsGradient(node, 0))
        {
            Value bMinusOne = b is Literal literal
                ? builder.Splat(literal.Scalar.AsDouble() - 1, b.Type)
                : builder.Sub(b, builder.Splat(1, b.Type));
            da = builder.Mul(builder.Pow(a, bMinusOne), b);
        }
        if (AutodiffRules.NeedsGradient(node, 1))
        {
            db = builder.Mul(node, builder.Log(a));
        }
        return (da, db);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>pow(a, b)</c>.</summary>
    public static Node Pow(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Pow.Instance, a, b);
}
