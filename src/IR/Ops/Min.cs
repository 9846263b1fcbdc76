namespace GraphDL.IR.Ops;

/// <summary>
/// Elementwise minimum. NaN propagates; −0.0 &lt; +0.0 (IEEE 754-2019 minimum).
/// <code>%2 = min(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Min : BinaryElementwiseOp
{
    public static readonly Min Instance = new();

    public override string Name => "min";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => Math.Min(a, b);

    public override long ApplyInteger(long a, long b) => Math.Min(a, b);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>min(a, b)</c>.</summary>
    public static Node Min(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Min.Instance, a, b);
}
