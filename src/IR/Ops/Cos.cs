namespace GraphDL.IR.Ops;

/// <summary>
/// Cosine (radians).
/// <code>%1 = cos(%0) : f32[4]</code>
/// </summary>
public sealed class Cos : UnaryElementwiseOp
{
    public static readonly Cos Instance = new();

    public override string Name => "cos";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 10;

    public override double ApplyFloat(double x) => Math.Cos(x);

    /// <summary>In double as the reference; fast f32: VectorMath (2 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "Math.Cos({0})" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Cos({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d cos x/dx = −sin x.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => builder.Neg(builder.Sin(node.Operands[0]));
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>cos(x)</c>.</summary>
    public static Node Cos(this GraphBuilder builder, Value x) => builder.Emit(Ops.Cos.Instance, x);
}
