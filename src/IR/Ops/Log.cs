namespace GraphDL.IR.Ops;

/// <summary>
/// Natural logarithm, ln x: −inf at 0, NaN below 0.
/// <code>%1 = log(%0) : f32[4]</code>
/// </summary>
public sealed class Log : UnaryElementwiseOp
{
    public static readonly Log Instance = new();

    public override string Name => "log";

    public override DTypeClass Accepts => DTypeClass.Float;

    protected override double FlopsPerElement => 10;

    public override double ApplyFloat(double x) => Math.Log(x);

    /// <summary>In double as the reference; fast f32: VectorMath (1 ulp).</summary>
    public override CodeSnippets CSharp { get; } = new()
    {
        { SnippetForm.ScalarInDouble, DTypeClass.Float, "Math.Log({0})" },
        { SnippetForm.Fast, DTypeClass.Float, "VectorMath.Log({0})" },
    };

    protected override bool HasDerivative => true;

    /// <summary>d ln x/dx = 1/x.</summary>
    protected override Value? Derivative(GraphBuilder builder, Node node) => builder.Reciprocal(node.Operands[0]);
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>log(x)</c>.</summary>
    public static Node Log(this GraphBuilder builder, Value x) => builder.Emit(Ops.Log.Instance, x);
}
