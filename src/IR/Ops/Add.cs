namespace GraphDL.IR.Ops;

/// <summary>
/// Addition, a + b. Integers wrap on overflow.
/// <code>%2 = add(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Add : BinaryElementwiseOp
{
    public static readonly Add Instance = new();

    public override string Name => "add";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => a + b;

    public override long ApplyInteger(long a, long b) => unchecked(a + b);

    /// <summary>
    /// IEEE addition, exactly rounded in the dtype as the double sum rounded once is; integers wrap.
    /// </summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{0} + {1}" },
        { SnippetForm.Scalar, DTypeClass.Integer, "unchecked({0} + {1})" },
        { SnippetForm.Vector, DTypeClass.Float, "{0} + {1}" },
    };

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) => [cotangent, cotangent];

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is null ? tangents[1] : tangents[1] is null ? tangents[0] : builder.Add(tangents[0]!, tangents[1]!);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>add(a, b)</c>.</summary>
    public static Node Add(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Add.Instance, a, b);
}
