namespace GraphDL.IR.Ops;

/// <summary>
/// Elementwise maximum. NaN propagates; −0.0 &lt; +0.0 (IEEE 754-2019 maximum).
/// <code>%2 = max(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Max : BinaryElementwiseOp
{
    public static readonly Max Instance = new();

    public override string Name => "max";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => Math.Max(a, b);

    public override long ApplyInteger(long a, long b) => Math.Max(a, b);

    /// <summary>
    /// IEEE 754-2019 maximum (ScalarExtrema: NaN propagates, −0 &lt; +0, whatever the JIT folds); integers compare.
    /// </summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "ScalarExtrema.Max({0}, {1})" },
        { SnippetForm.Scalar, DTypeClass.Integer, "Math.Max({0}, {1})" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.Max({0}, {1})" },
    };

    protected override bool HasPartials => true;

    /// <summary>
    /// The gradient goes to the larger operand; at a tie it is split evenly, ½ to each (as <c>jax.lax.max</c> and
    /// <c>torch.maximum</c> do), so max(x, x) has derivative 1 and <c>max(x, 0.0)</c> (relu) has ½ at 0. Where an
    /// operand is NaN neither comparison holds: a gets 0 and b gets 1. The masks come from comparisons cast to the
    /// dtype, constants to autodiff, so the rule is piecewise linear and its own derivative is zero.
    /// </summary>
    protected override (Value? A, Value? B) Partials(GraphBuilder builder, Node node) =>
        ElementwiseExtremum.Partials(builder, node, builder.Gt, builder.Ge);
}

/// <summary>The shared partials of <c>max</c> and <c>min</c>: a selects-or-splits mask and its complement.</summary>
internal static class ElementwiseExtremum
{
    /// <summary>
    /// ∂a = ½·([a beats b] + [a beats or ties b]) and ∂b = 1 − ∂a, where <paramref name="beats"/> is gt for max and
    /// lt for min and <paramref name="beatsOrTies"/> ge or le. NaN compares false, so there a gets 0 and b gets 1.
    /// </summary>
    public static (Value? A, Value? B) Partials(GraphBuilder builder, Node node, Func<Value, Value, Node> beats, Func<Value, Value, Node> beatsOrTies)
    {
        bool needA = AutodiffRules.NeedsGradient(node, 0), needB = AutodiffRules.NeedsGradient(node, 1);
        if (!needA && !needB)
        {
            return (null, null);
        }
        Value a = node.Operands[0], b = node.Operands[1];
        var dtype = node.Type.DType;
        Value share = builder.Mul(
            builder.Add(builder.Cast(beats(a, b), dtype), builder.Cast(beatsOrTies(a, b), dtype)),
            builder.Splat(0.5, node.Type));
        return (needA ? share : null, needB ? builder.Sub(builder.Splat(1, node.Type), share) : null);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>max(a, b)</c>.</summary>
    public static Node Max(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Max.Instance, a, b);
}
