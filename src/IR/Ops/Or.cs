namespace GraphDL.IR.Ops;

/// <summary>
/// Logical or on bool, bitwise or on integers.
/// <code>%2 = or(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Or : BinaryElementwiseOp
{
    public static readonly Or Instance = new();

    public override string Name => "or";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.IntegerOrBool;

    public override long ApplyInteger(long a, long b) => a | b;

    public override bool ApplyBool(bool a, bool b) => a | b;

    /// <summary>Bitwise or; on lane masks too.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.IntegerOrBool, "{0} | {1}" },
        { SnippetForm.Vector, DTypeClass.Bool, "{0} | {1}" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>or(a, b)</c>.</summary>
    public static Node Or(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Or.Instance, a, b);
}
