namespace GraphDL.IR.Ops;

/// <summary>
/// Reciprocal square root, 1/√x: inf at 0.
/// <code>%1 = rsqrt(%0) : f32[4]</code>
/// </summary>
public sealed class Rsqrt : UnaryElementwiseOp
{
    public static readonly Rsqrt Instance = new();

    public override string Name => "rsqrt";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 4;

    public override double ApplyFloat(double x) => 1.0 / Math.Sqrt(x);

    /// <summary>1/√x in double, rounded once, as the reference (two roundings in f32 would differ).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "1.0 / Math.Sqrt({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d x^(−1/2)/dx = −0.5·x^(−3/2) = −0.5·y/x, from the node itself.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) =>
        builder.Mul(builder.Div(node, node.Operands[0]), builder.Splat(-0.5, node.Type));
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>rsqrt(x)</c>.</summary>
    public static Node Rsqrt(this GraphBuilder builder, Value x) => builder.Emit(Ops.Rsqrt.Instance, x);
}
