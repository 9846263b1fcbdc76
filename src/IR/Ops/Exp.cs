namespace GraphDL.IR.Ops;

/// <summary>
/// Natural exponential, eˣ.
/// <code>%1 = exp(%0) : f32[4]</code>
/// </summary>
public sealed class Exp : UnaryElementwiseOp
{
    public static readonly Exp Instance = new();

    public override string Name => "exp";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 10;

    public override double ApplyFloat(double x) => Math.Exp(x);

    /// <summary>In double as the reference; fast f32: VectorMath (1 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "Math.Exp({0})" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Exp({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d eˣ/dx = eˣ, the node itself.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => node;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>exp(x)</c>.</summary>
    public static Node Exp(this GraphBuilder builder, Value x) => builder.Emit(Ops.Exp.Instance, x);
}
