namespace GraphDL.IR.Ops;

/// <summary>
/// Logical and on bool, bitwise and on integers.
/// <code>%2 = and(%0, %1) : f32[4]</code>
/// </summary>
public sealed class And : BinaryElementwiseOp
{
    public static readonly And Instance = new();

    public override string Name => "and";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.IntegerOrBool;

    public override long ApplyInteger(long a, long b) => a & b;

    public override bool ApplyBool(bool a, bool b) => a & b;

    /// <summary>Bitwise and; on lane masks too.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.IntegerOrBool, "{0} & {1}" },
        { SnippetForm.Vector, DTypeClass.Bool, "{0} & {1}" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>and(a, b)</c>.</summary>
    public static Node And(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.And.Instance, a, b);
}
