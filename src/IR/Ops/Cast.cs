namespace GraphDL.IR.Ops;

/// <summary>
/// Converts each element to another dtype, by the rules of <see cref="ElementConversion"/>: to a float type rounds
/// to nearest even; float → integer truncates toward zero, saturates, and maps NaN to 0; integer → i32 wraps;
/// to bool is x ≠ 0 (NaN is true); bool → number is 0 or 1.
/// <code>%1 = cast(%0) {dtype=i32} : i32[4]</code>
/// </summary>
public sealed class Cast : OpDef
{
    public static readonly Cast Instance = new();

    public override string Name => "cast";

    public override OpTraits Traits => OpTraits.Elementwise;

    public override int MinOperands => 1;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } = [AttrSpec.Required("dtype", AttrKind.DType)];

    public override TensorType InferType(OpContext context) => context[0].WithDType(context.Attributes.DType("dtype"));

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var target = context.Result.DType;
        if (x.DType.IsFloat())
        {
            return HostTensor.FromDoubles(target, x.Shape, x.ToDoubleArray());
        }
        return HostTensor.FromInt64s(target, x.Shape, x.ToInt64Array());
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>Float to float: the cotangent cast back to the operand's dtype. To or from an integer or bool: none.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
        [IsFloatToFloat(node) ? builder.Cast(cotangent, node.Operands[0].Type.DType) : null];

    /// <summary>Float to float: the tangent cast to the result dtype. To or from an integer or bool: none.</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t && IsFloatToFloat(node) ? builder.Cast(t, node.Type.DType) : null;

    private static bool IsFloatToFloat(Node node) => node.Operands[0].Type.DType.IsFloat() && node.Type.DType.IsFloat();
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>cast(x) {dtype=...}</c>.</summary>
    public static Node Cast(this GraphBuilder builder, Value x, DType dtype) =>
        builder.Emit(Ops.Cast.Instance, [x], AttributeMap.Of(("dtype", new DTypeAttr(dtype))));
}
