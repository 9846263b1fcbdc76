namespace GraphDL.IR.Ops;

/// <summary>
/// Largest integer ≤ x (kept as a float).
/// <code>%1 = floor(%0) : f32[4]</code>
/// </summary>
public sealed class Floor : UnaryElementwiseOp
{
    public static readonly Floor Instance = new();

    public override string Name => "floor";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Idempotent;

    public override DTypeClass Accepts => DTypeClass.Float;

    public override double ApplyFloat(double x) => Math.Floor(x);

    /// <summary>Rounds toward −∞, exact in the dtype.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{T}.Floor({0})" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.Floor({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>Piecewise constant: zero almost everywhere (and defined as zero at the integers).</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>floor(x)</c>.</summary>
    public static Node Floor(this GraphBuilder builder, Value x) => builder.Emit(Ops.Floor.Instance, x);
}
