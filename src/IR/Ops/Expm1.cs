namespace GraphDL.IR.Ops;

/// <summary>
/// eˣ − 1, accurate for small x.
/// <code>%1 = expm1(%0) : f32[4]</code>
/// </summary>
public sealed class Expm1 : UnaryElementwiseOp
{
    public static readonly Expm1 Instance = new();

    public override string Name => "expm1";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 12;

    public override double ApplyFloat(double x) => ReferenceMath.Expm1(x);

    /// <summary>In double as the reference; fast f32: VectorMath (1 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "ReferenceMath.Expm1({0})" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Expm1({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d(eˣ − 1)/dx = eˣ = y + 1, from the node itself.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => builder.Add(node, builder.Splat(1, node.Type));
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>expm1(x)</c>.</summary>
    public static Node Expm1(this GraphBuilder builder, Value x) => builder.Emit(Ops.Expm1.Instance, x);
}
