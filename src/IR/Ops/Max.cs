namespace GraphDL.IR.Ops;

/// <summary>
/// Elementwise maximum. NaN propagates; −0.0 &lt; +0.0 (IEEE 754-2019 maximum).
/// <code>%2 = max(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Max : BinaryElementwiseOp
{
    public static readonly Max Instance = new();

    public override string Name => "max";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => Math.Max(a, b);

    public override long ApplyInteger(long a, long b) => Math.Max(a, b);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>max(a, b)</c>.</summary>
    public static Node Max(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Max.Instance, a, b);
}
