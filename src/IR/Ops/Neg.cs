namespace GraphDL.IR.Ops;

/// <summary>
/// Negation, −x. Integers wrap (−INT_MIN is INT_MIN).
/// <code>%1 = neg(%0) : f32[4]</code>
/// </summary>
public sealed class Neg : UnaryElementwiseOp
{
    public static readonly Neg Instance = new();

    public override string Name => "neg";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Involution;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double x) => -x;

    public override long ApplyInteger(long x) => unchecked(-x);

    /// <summary>Flips the sign bit; integers wrap (−MIN is MIN).</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "-{0}" },
        { SnippetForm.Scalar, DTypeClass.Integer, "unchecked(-{0})" },
        { SnippetForm.Vector, DTypeClass.Float, "-{0}" },
    };

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>Linear: the cotangent negated.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) => [builder.Neg(cotangent)];

    /// <summary>Linear: the tangent negated.</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t ? builder.Neg(t) : null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>neg(x)</c>.</summary>
    public static Node Neg(this GraphBuilder builder, Value x) => builder.Emit(Ops.Neg.Instance, x);
}
