namespace GraphDL.IR.Ops;

/// <summary>
/// Square root, √x: NaN below 0, sqrt(-0.0) is -0.0.
/// <code>%1 = sqrt(%0) : f32[4]</code>
/// </summary>
public sealed class Sqrt : UnaryElementwiseOp
{
    public static readonly Sqrt Instance = new();

    public override string Name => "sqrt";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 4;

    public override double ApplyFloat(double x) => Math.Sqrt(x);

    /// <summary>IEEE square root, exactly rounded in the dtype as the double root rounded once is.</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{T}.Sqrt({0})" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.Sqrt({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d√x/dx = 1/(2√x) = 0.5/y, from the node itself.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => builder.Div(builder.Splat(0.5, node.Type), node);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>sqrt(x)</c>.</summary>
    public static Node Sqrt(this GraphBuilder builder, Value x) => builder.Emit(Ops.Sqrt.Instance, x);
}
