namespace GraphDL.IR.Ops;

/// <summary>
/// Less or equal, a ≤ b (false when either is NaN).
/// <code>%2 = le(%0, %1) : bool[4]</code>
/// </summary>
public sealed class Le : ComparisonOp
{
    public static readonly Le Instance = new();

    public override string Name => "le";

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override bool CompareFloat(double a, double b) => a <= b;

    public override bool CompareInteger(long a, long b) => a <= b;

    /// <summary>The C# comparison (false on NaN, as in double).</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Numeric, "{0} <= {1}" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.LessThanOrEqual({0}, {1})" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>le(a, b)</c>.</summary>
    public static Node Le(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Le.Instance, a, b);
}
