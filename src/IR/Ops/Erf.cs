namespace GraphDL.IR.Ops;

/// <summary>
/// The error function, erf x = 2/√π ∫₀ˣ e^(−t²) dt.
/// <code>%1 = erf(%0) : f32[4]</code>
/// </summary>
public sealed class Erf : UnaryElementwiseOp
{
    public static readonly Erf Instance = new();

    public override string Name => "erf";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 20;

    public override double ApplyFloat(double x) => ReferenceMath.Erf(x);

    /// <summary>In double as the reference; fast f32: VectorMath (1 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "ReferenceMath.Erf({0})" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Erf({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d erf x/dx = (2/√π)·exp(−x²).</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node)
    {
        var x = node.Operands[0];
        return builder.Mul(builder.Exp(builder.Neg(builder.Mul(x, x))), builder.Splat(2 / Math.Sqrt(Math.PI), x.Type));
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>erf(x)</c>.</summary>
    public static Node Erf(this GraphBuilder builder, Value x) => builder.Emit(Ops.Erf.Instance, x);
}
