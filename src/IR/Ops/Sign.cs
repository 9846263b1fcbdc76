namespace GraphDL.IR.Ops;

/// <summary>
/// Sign: −1, 0 or 1; ±0 and NaN are returned unchanged.
/// <code>%1 = sign(%0) : f32[4]</code>
/// </summary>
public sealed class Sign : UnaryElementwiseOp
{
    public static readonly Sign Instance = new();

    public override string Name => "sign";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Idempotent;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double x) => x > 0 ? 1 : x < 0 ? -1 : x;

    public override long ApplyInteger(long x) => Math.Sign(x);

    /// <summary>The reference's rule, exact in the dtype: ±1, or x itself for ±0 and NaN.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{0} > 0 ? 1 : {0} < 0 ? -1 : {0}" },
        { SnippetForm.Scalar, DTypeClass.Integer, "({T})Math.Sign({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>Piecewise constant: zero almost everywhere (and defined as zero at 0).</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>sign(x)</c>.</summary>
    public static Node Sign(this GraphBuilder builder, Value x) => builder.Emit(Ops.Sign.Instance, x);
}
