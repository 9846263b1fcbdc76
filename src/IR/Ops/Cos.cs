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

    protected override bool HasDerivative => true;

    /// <summary>d cos x/dx = −sin x.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => builder.Neg(builder.Sin(node.Operands[0]));
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>cos(x)</c>.</summary>
    public static Node Cos(this GraphBuilder builder, Value x) => builder.Emit(Ops.Cos.Instance, x);
}
