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

    /// <summary>
    /// Per dtype pair, as ElementConversion: an integer narrows by wrapping, a number is true where it is not 0 (NaN
    /// too), a bool is 1 or 0; a float rounds to nearest. Vectors: a mask ANDed with 1.0, a float compared with 0; a
    /// pass has one float dtype, so a float cast there is the identity.
    /// </summary>
    public override CodeSnippets CSharp { get; } = new(cheap: true)
    {
        { SnippetForm.Scalar, DTypeClass.Numeric, DTypeClass.Bool, "{0} != 0" },
        { SnippetForm.Scalar, DTypeClass.Integer, DTypeClass.Integer, "unchecked(({T}){0})" },
        { SnippetForm.Scalar, DTypeClass.Float, DTypeClass.Float, "({T}){0}" },
        { SnippetForm.Scalar, DTypeClass.Bool, DTypeClass.Bool, "{0}" },
        { SnippetForm.Scalar, DTypeClass.Bool, DTypeClass.Numeric, "{0} ? ({T})1 : ({T})0" },
        { SnippetForm.Vector, DTypeClass.Bool, DTypeClass.Float, "{0} & {V}<{T}>.One" },
        { SnippetForm.Vector, DTypeClass.Float, DTypeClass.Bool, "~{V}.Equals({0}, {V}<{T}>.Zero)" },
        { SnippetForm.Vector, DTypeClass.Float, DTypeClass.Float, "{0}" },
        { SnippetForm.Vector, DTypeClass.Bool, DTypeClass.Bool, "{0}" },
    };

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
