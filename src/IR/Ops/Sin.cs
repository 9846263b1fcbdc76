namespace GraphDL.IR.Ops;

/// <summary>
/// Sine (radians).
/// <code>%1 = sin(%0) : f32[4]</code>
/// </summary>
public sealed class Sin : UnaryElementwiseOp
{
    public static readonly Sin Instance = new();

    public override string Name => "sin";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 10;

    public override double ApplyFloat(double x) => Math.Sin(x);

    /// <summary>In double as the reference; fast f32: VectorMath (2 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "Math.Sin({0})" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Sin({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d sin x/dx = cos x.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => builder.Cos(node.Operands[0]);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>sin(x)</c>.</summary>
    public static Node Sin(this GraphBuilder builder, Value x) => builder.Emit(Ops.Sin.Instance, x);
}
