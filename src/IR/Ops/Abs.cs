namespace GraphDL.IR.Ops;

/// <summary>
/// Absolute value, |x|. Integers wrap (|INT_MIN| is INT_MIN); abs(-0.0) is 0.0.
/// <code>%1 = abs(%0) : f32[4]</code>
/// </summary>
public sealed class Abs : UnaryElementwiseOp
{
    public static readonly Abs Instance = new();

    public override string Name => "abs";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Idempotent;

    public override DTypeClass Accepts => DTypeClass.Numeric;

    public override double ApplyFloat(double x) => Math.Abs(x);

    public override long ApplyInteger(long x) => x < 0 ? unchecked(-x) : x;

    /// <summary>IEEE |x| (exact in the dtype); integers as the reference: |MIN| wraps to MIN.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Float, "{T}.Abs({0})" },
        { SnippetForm.Scalar, DTypeClass.Integer, "{0} < 0 ? unchecked(-{0}) : {0}" },
        { SnippetForm.Vector, DTypeClass.Float, "{V}.Abs({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d|x|/dx = sign(x) (0 at x = 0, the subgradient JAX and PyTorch pick).</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => builder.Sign(node.Operands[0]);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>abs(x)</c>.</summary>
    public static Node Abs(this GraphBuilder builder, Value x) => builder.Emit(Ops.Abs.Instance, x);
}
