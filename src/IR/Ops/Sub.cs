namespace GraphDL.IR.Ops;

/// <summary>
/// Subtraction, a − b. Integers wrap on overflow.
/// <code>%2 = sub(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Sub : BinaryElementwiseOp
{
    public static readonly Sub Instance = new();

    public override string Name => "sub";

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => a - b;

    public override long ApplyInteger(long a, long b) => unchecked(a - b);

    /// <summary>
    /// IEEE subtraction, exactly rounded in the dtype as the double difference rounded once is; integers wrap.
    /// </summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{0} - {1}" },
        { SnippetForm.Scalar, DTypeClass.Integer, "unchecked({0} - {1})" },
        { SnippetForm.Vector, DTypeClass.Float, "{0} - {1}" },
    };

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>Linear: a receives the cotangent, b its negation.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
        [AutodiffRules.NeedsGradient(node, 0) ? cotangent : null, AutodiffRules.NeedsGradient(node, 1) ? builder.Neg(cotangent) : null];

    /// <summary>Linear: ṫa − ṫb (a missing tangent is zero).</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) => (tangents[0], tangents[1]) switch
    {
        (null, null) => null,
        ({ } a, null) => a,
        (null, { } b) => builder.Neg(b),
        ({ } a, { } b) => builder.Sub(a, b),
    };
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>sub(a, b)</c>.</summary>
    public static Node Sub(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Sub.Instance, a, b);
}
