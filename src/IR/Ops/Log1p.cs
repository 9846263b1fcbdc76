namespace GraphDL.IR.Ops;

/// <summary>
/// ln(1 + x), accurate for small x.
/// <code>%1 = log1p(%0) : f32[4]</code>
/// </summary>
public sealed class Log1p : UnaryElementwiseOp
{
    public static readonly Log1p Instance = new();

    public override string Name => "log1p";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 12;

    public override double ApplyFloat(double x) => ReferenceMath.Log1p(x);

    /// <summary>In double as the reference; fast f32: VectorMath (1 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "ReferenceMath.Log1p({0})" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Log1p({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d ln(1 + x)/dx = 1/(1 + x).</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node)
    {
        var x = node.Operands[0];
        return builder.Reciprocal(builder.Add(x, builder.Splat(1, x.Type)));
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>log1p(x)</c>.</summary>
    public static Node Log1p(this GraphBuilder builder, Value x) => builder.Emit(Ops.Log1p.Instance, x);
}
