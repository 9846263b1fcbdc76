namespace GraphDL.IR.Ops;

/// <summary>
/// Less than, a &lt; b (false when either is NaN).
/// <code>%2 = lt(%0, %1) : bool[4]</code>
/// </summary>
public sealed class Lt : ComparisonOp
{
    public static readonly Lt Instance = new();

    public override string Name => "lt";

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override bool CompareFloat(double a, double b) => a < b;

    public override bool CompareInteger(long a, long b) => a < b;

    /// <summary>The C# comparison (false on NaN, as in double).</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Numeric, "{0} < {1}" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.LessThan({0}, {1})" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>lt(a, b)</c>.</summary>
    public static Node Lt(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Lt.Instance, a, b);
}
