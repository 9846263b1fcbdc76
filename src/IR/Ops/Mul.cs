namespace GraphDL.IR.Ops;

/// <summary>
/// Multiplication, a · b. Integers wrap on overflow.
/// <code>%2 = mul(%0, %1) : f32[4]</code>
/// </summary>
public sealed class Mul : BinaryElementwiseOp
{
    public static readonly Mul Instance = new();

    public override string Name => "mul";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Commutative;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double a, double b) => a * b;

    public override long ApplyInteger(long a, long b) => unchecked(a * b);

    /// <summary>
    /// IEEE multiplication, exactly rounded in the dtype as the double product rounded once is; integers wrap.
    /// </summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{0} * {1}" },
        { SnippetForm.Scalar, DTypeClass.Integer, "unchecked({0} * {1})" },
        { SnippetForm.Vector, DTypeClass.Float, "{0} * {1}" },
    };

    protected override bool HasPartials => true;

    /// <summary>∂(ab)/∂a = b, ∂(ab)/∂b = a.</summary>
    protected override (Value? A, Value? B) Partials(GraphBuilder builder, Node node) =>
        (AutodiffRules.NeedsGradient(node, 0) ? node.Operands[1] : null, AutodiffRules.NeedsGradient(node, 1) ? node.Operands[0] : null);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>mul(a, b)</c>.</summary>
    public static Node Mul(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Mul.Instance, a, b);
}
