namespace GraphDL.IR.Ops;

/// <summary>
/// The identity, through which no gradient flows in either mode (<c>jax.lax.stop_gradient</c>, <c>detach</c>).
/// <code>%1 = stop_gradient(%0) : f32[4]</code>
/// </summary>
public sealed class StopGradient : UnaryElementwiseOp
{
    public static readonly StopGradient Instance = new();

    public override string Name => "stop_gradient";

    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Idempotent;

    public override DTypeClass Accepts => DTypeClass.Any;

    protected override double FlopsPerElement => 0;

    public override double ApplyFloat(double x) => x;

    public override long ApplyInteger(long x) => x;

    public override bool ApplyBool(bool x) => x;

    /// <summary>The operand itself.</summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Any, "{0}" },
        { SnippetForm.Vector, DTypeClass.Any, "{0}" },
    };

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) => [null];

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) => null;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>stop_gradient(x)</c>.</summary>
    public static Node StopGradient(this GraphBuilder builder, Value x) => builder.Emit(Ops.StopGradient.Instance, x);
}
