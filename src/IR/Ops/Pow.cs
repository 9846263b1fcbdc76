namespace GraphDL.IR.Ops;

/// <summary>
/// Power, aᵇ (IEEE pow: pow(x, 0) is 1, a negative base with a non-integer exponent is NaN).
/// <code>%2 = pow(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Pow : BinaryElementwiseOp
{
    public static readonly Pow Instance = new();

    public override string Name => "pow";

    public override DTypeClass Accepts => DTypeClass.Float;

    public override double ApplyFloat(double a, double b) => Math.Pow(a, b);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>pow(a, b)</c>.</summary>
    public static Node Pow(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Pow.Instance, a, b);
}
