namespace GraphDL.IR.Ops;

/// <summary>
/// Logical not on bool, bitwise complement on integers.
/// <code>%1 = not(%0) : f32[4]</code>
/// </summary>
public sealed class Not : UnaryElementwiseOp
{
    public static readonly Not Instance = new();

    public override string Name => "not";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Involution;

    public override DTypeClass Accepts => DTypeClass.IntegerOrBool;

    public override long ApplyInteger(long x) => ~x;

    public override bool ApplyBool(bool x) => !x;

    /// <summary>Logical not of a bool (a lane mask's complement), bitwise complement of an integer.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Bool, "!{0}" },
        { SnippetForm.Scalar, DTypeClass.Integer, "~{0}" },
        { SnippetForm.Vector, DTypeClass.Bool, "~{0}" },
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>not(x)</c>.</summary>
    public static Node Not(this GraphBuilder builder, Value x) => builder.Emit(Ops.Not.Instance, x);
}
