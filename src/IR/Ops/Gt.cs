namespace GraphDL.IR.Ops;

/// <summary>
/// Greater than, a &gt; b (false when either is NaN).
/// <code>%2 = gt(%0, %1) : bool[4]</code>
/// </summary>
public sealed class Gt : ComparisonOp
{
    public static readonly Gt Instance = new();

    public override string Name => "gt";

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override bool CompareFloat(double a, double b) => a > b;

    public override bool CompareInteger(long a, long b) => a > b;

    /// <summary>The C# comparison (false on NaN, as in double).</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Numeric, "{0} > {1}" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.GreaterThan({0}, {1})" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>gt(a, b)</c>.</summary>
    public static Node Gt(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Gt.Instance, a, b);
}
