namespace GraphDL.IR.Ops;

/// <summary>
/// Smallest integer ≥ x (kept as a float).
/// <code>%1 = ceil(%0) : f32[4]</code>
/// </summary>
public sealed class Ceil : UnaryElementwiseOp
{
    public static readonly Ceil Instance = new();

    public override string Name => "ceil";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Idempotent;

    public override DTypeClass Accepts => DTypeClass.Float;

    public override double ApplyFloat(double x) => Math.Ceiling(x);

    /// <summary>Rounds toward +∞, exact in the dtype.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{T}.Ceiling({0})" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.Ceiling({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>Piecewise constant: zero almost everywhere (and defined as zero at the integers).</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>ceil(x)</c>.</summary>
    public static Node Ceil(this GraphBuilder builder, Value x) => builder.Emit(Ops.Ceil.Instance, x);
}
