namespace GraphDL.IR.Ops;

/// <summary>
/// Inequality, a ≠ b (true when either is NaN).
/// <code>%2 = ne(%0, %1) : bool[4]</code>
/// </summary>
public sealed class Ne : ComparisonOp
{
    public static readonly Ne Instance = new();

    public override string Name => "ne";

    public override OpTraits Traits => base.Traits | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.Any;

    public override bool CompareFloat(double a, double b) => a != b;

    public override bool CompareInteger(long a, long b) => a != b;

    /// <summary>Inequality (true on NaN); lane masks differ where their bits do.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Any, "{0} != {1}" },
        { SnippetForm.Vector, DTypeClass.Float, "~{V}.Equals({0}, {1})" },
        { SnippetForm.Vector, DTypeClass.Bool, "{0} ^ {1}" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>ne(a, b)</c>.</summary>
    public static Node Ne(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Ne.Instance, a, b);
}
