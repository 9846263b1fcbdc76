namespace GraphDL.IR.Ops;

/// <summary>
/// Subtraction, a − b. Integers wrap on overflow.
/// <code>%2 = sub(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Sub : BinaryElementwiseOp
{
    public static readonly Sub Instance = new();

    public override string Name => "sub";

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => a - b;

    public override long ApplyInteger(long a, long b) => unchecked(a - b);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>sub(a, b)</c>.</summary>
    public static Node Sub(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Sub.Instance, a, b);
}
