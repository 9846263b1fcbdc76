namespace GraphDL.IR.Ops;

/// <summary>
/// The logistic sigmoid, σ(x) = 1 / (1 + e⁻ˣ).
/// <code>%1 = logistic(%0) : f32[4]</code>
/// </summary>
public sealed class Logistic : UnaryElementwiseOp
{
    public static readonly Logistic Instance = new();

    public override string Name => "logistic";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 12;

    public override double ApplyFloat(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>In double as the reference; fast f32: VectorMath (2 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "1.0 / (1.0 + Math.Exp(-{0}))" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Logistic({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>dσ(x)/dx = σ(x)(1 − σ(x)) = y(1 − y), from the node itself.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) =>
        builder.Mul(node, builder.Sub(builder.Splat(1, node.Type), node));
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>logistic(x)</c>.</summary>
    public static Node Logistic(this GraphBuilder builder, Value x) => builder.Emit(Ops.Logistic.Instance, x);
}
