namespace GraphDL.IR.Ops;

/// <summary>
/// Logical exclusive or on bool, bitwise on integers.
/// <code>%2 = xor(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Xor : BinaryElementwiseOp
{
    public static readonly Xor Instance = new();

    public override string Name => "xor";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.IntegerOrBool;

    public override long ApplyInteger(long a, long b) => a ^ b;

    public override bool ApplyBool(bool a, bool b) => a ^ b;

    /// <summary>Bitwise exclusive or; on lane masks too.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.IntegerOrBool, "{0} ^ {1}" },
        { SnippetForm.Vector, DTypeClass.Bool, "{0} ^ {1}" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>xor(a, b)</c>.</summary>
    public static Node Xor(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Xor.Instance, a, b);
}
