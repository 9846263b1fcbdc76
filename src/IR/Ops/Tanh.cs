namespace GraphDL.IR.Ops;

/// <summary>
/// Hyperbolic tangent.
/// <code>%1 = tanh(%0) : f32[4]</code>
/// </summary>
public sealed class Tanh : UnaryElementwiseOp
{
    public static readonly Tanh Instance = new();

    public override string Name => "tanh";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 10;

    public override double ApplyFloat(double x) => Math.Tanh(x);

    /// <summary>In double as the reference; fast f32: VectorMath (1 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "Math.Tanh({0})" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Tanh({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d tanh x/dx = 1 − tanh² x = 1 − y², from the node itself.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) =>
        builder.Sub(builder.Splat(1, node.Type), builder.Mul(node, node));
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>tanh(x)</c>.</summary>
    public static Node Tanh(this GraphBuilder builder, Value x) => builder.Emit(Ops.Tanh.Instance, x);
}
