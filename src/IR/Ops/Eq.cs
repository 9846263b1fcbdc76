namespace GraphDL.IR.Ops;

/// <summary>
/// Equality, a = b (NaN equals nothing; −0.0 equals +0.0).
/// <code>%2 = eq(%0, %1) : bool[4]</code>
/// </summary>
public sealed class Eq : ComparisonOp
{
    public static readonly Eq Instance = new();

    public override string Name => "eq";

    public override OpTraits Traits => base.Traits | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.Any;

    public override bool CompareFloat(double a, double b) => a == b;

    public override bool CompareInteger(long a, long b) => a == b;

    /// <summary>Equality (false on NaN); bools compare as bools; lane masks are equal where no bit differs.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Any, "{0} == {1}" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.Equals({0}, {1})" },
        { SnippetForm.Vector, DTypeClass.Bool, "~({0} ^ {1})" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>eq(a, b)</c>.</summary>
    public static Node Eq(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Eq.Instance, a, b);
}
