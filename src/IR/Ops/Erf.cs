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
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>erf(x)</c>.</summary>
    public static Node Erf(this GraphBuilder builder, Value x) => builder.Emit(Ops.Erf.Instance, x);
}
