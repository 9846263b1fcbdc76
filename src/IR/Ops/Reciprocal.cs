namespace GraphDL.IR.Ops;

/// <summary>
/// Reciprocal, 1/x: ±inf at ±0.
/// <code>%1 = reciprocal(%0) : f32[4]</code>
/// </summary>
public sealed class Reciprocal : UnaryElementwiseOp
{
    public static readonly Reciprocal Instance = new();

    public override string Name => "reciprocal";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 4;

    public override double ApplyFloat(double x) => 1.0 / x;

    /// <summary>IEEE 1/x, exactly rounded in the dtype as the double quotient rounded once is.</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.Scalar, DTypeClass.Float, "1 / {0}" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}<{T}>.One / {0}" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d(1/x)/dx = −1/x² = −y², from the node itself.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => builder.Neg(builder.Mul(node, node));
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>reciprocal(x)</c>.</summary>
    public static Node Reciprocal(this GraphBuilder builder, Value x) => builder.Emit(Ops.Reciprocal.Instance, x);
}
