namespace GraphDL.IR.Ops;

/// <summary>
/// Elementwise minimum. NaN propagates; −0.0 &lt; +0.0 (IEEE 754-2019 minimum).
/// <code>%2 = min(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Min : BinaryElementwiseOp
{
    public static readonly Min Instance = new();

    public override string Name => "min";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => Math.Min(a, b);

    public override long ApplyInteger(long a, long b) => Math.Min(a, b);

    /// <summary>
    /// IEEE 754-2019 minimum (ScalarExtrema: NaN propagates, −0 &lt; +0, whatever the JIT folds); integers compare.
    /// </summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "ScalarExtrema.Min({0}, {1})" },
        { SnippetForm.Scalar, DTypeClass.Integer, "Math.Min({0}, {1})" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.Min({0}, {1})" },
    };

    protected override bool HasPartials => true;

    /// <summary>
    /// The gradient goes to the smaller operand; at a tie it is split evenly, ½ to each (as <c>jax.lax.min</c> and
    /// <c>torch.minimum</c> do). Where an operand is NaN, a gets 0 and b gets 1. See <see cref="Max"/>.
    /// </summary>
    protected override (Value? A, Value? B) Partials(GraphBuilder builder, Node node) =>
        ElementwiseExtremum.Partials(builder, node, builder.Lt, builder.Le);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>min(a, b)</c>.</summary>
    public static Node Min(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Min.Instance, a, b);
}
