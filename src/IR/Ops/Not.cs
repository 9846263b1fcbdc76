namespace GraphDL.IR.Ops;

/// <summary>
/// Logical not on bool, bitwise complement on integers.
/// <code>%1 = not(%0) : f32[4]</code>
/// </summary>
public sealed class Not : UnaryElementwiseOp
{
    public static readonly Not Instance = new();

    public override string Name => "not";

    public override DTypeClass Accepts => DTypeClass.IntegerOrBool;

    public override long ApplyInteger(long x) => ~x;

    public override bool ApplyBool(bool x) => !x;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>not(x)</c>.</summary>
    public static Node Not(this GraphBuilder builder, Value x) => builder.Emit(Ops.Not.Instance, x);
}
