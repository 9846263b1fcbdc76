namespace GraphDL.IR.Ops;

/// <summary>
/// One kernel made of several ops: its <c>body</c> is an isolated graph whose inputs stand for the node's operands
/// (by position and type) and whose single output is the node's result, so
/// <c>fused(x1, ..., xn) = body(x1, ..., xn)</c>. Fusion creates these after autodiff; passes treat the node as
/// opaque (it has no traits) and carry the body along as an attribute. The optional <c>kernel</c> names it in reports.
/// <code>
/// %7 = fused(%3, %b1) {kernel="k2"} : f32[64,128] {
///   (%x: f32[64,128], %b: f32[128])
///   %0 = broadcast_in_dim(%b) {shape=[64,128], dims=[1]} : f32[64,128]
///   %1 = add(%x, %0) : f32[64,128]                      loc("Mlp.cs":14)
///   return %1
/// }
/// </code>
/// </summary>
public sealed class Fused : OpDef
{
    public static readonly Fused Instance = new();

    public override string Name => "fused";

    public override OpTraits Traits => OpTraits.None;

    public override int MinOperands => 0;

    public override int MaxOperands => int.MaxValue;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("body", AttrKind.Graph),
        AttrSpec.Omittable("kernel", AttrKind.String),
    ];

    /// <summary>
    /// Checks the body's interface against the node: one body input per operand with the operand's type, plain
    /// inputs (a body updates nothing in place), and exactly one output, whose type is the result.
    /// The body's own well-formedness is the verifier's concern.
    /// </summary>
    public override TensorType InferType(OpContext context)
    {
        var body = context.Attributes.Graph("body");
        if (body.Inputs.Count != context.Operands.Count)
        {
            throw context.Error($"its body takes {body.Inputs.Count} input{(body.Inputs.Count == 1 ? "" : "s")}, but the node has {context.Operands.Count} operand{(context.Operands.Count == 1 ? "" : "s")}");
        }
        for (int k = 0; k < body.Inputs.Count; k++)
        {
            var input = body.Inputs[k];
            if (input.Type != context[k])
            {
                throw context.Error($"operand {k} is {context[k]}, but body input %{input.Name} is {input.Type}");
            }
            if (input.Role != InputRole.Input)
            {
                throw context.Error($"body input %{input.Name} is a {Text.GirSyntax.FormatRole(input.Role)}; body inputs are plain inputs");
            }
        }
        if (body.Outputs.Count != 1)
        {
            throw context.Error($"its body must return exactly one value, it returns {body.Outputs.Count}");
        }
        var output = body.Outputs[0];
        if (output.Aliases is not null || output.Name is not null)
        {
            throw context.Error("its body's output can have neither a name nor an alias");
        }
        return output.Value.Type;
    }

    /// <summary>Runs the body node by node with each op's own reference evaluation, as the interpreter runs a graph.</summary>
    public override HostTensor Evaluate(EvalContext context)
    {
        var body = context.Attributes.Graph("body");
        var values = new Dictionary<Value, HostTensor>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < body.Inputs.Count; k++)
        {
            values[body.Inputs[k]] = context[k];
        }
        HostTensor Read(Value value) => value is Literal literal ? HostTensor.Full(literal.Type, literal.Scalar) : values[value];
        foreach (var node in body.Nodes)
        {
            var operands = node.Operands.Select(Read).ToArray();
            var result = node.Op.Evaluate(new EvalContext(node.Op, operands, node.Attributes, node.Type, node.Loc));
            if (result.Type != node.Type)
            {
                throw new EvaluationException(node.Op.Name, $"reference evaluation returned {result.Type}, the node's type is {node.Type}", node.Loc);
            }
            values[node] = result;
        }
        return Read(body.Outputs[0].Value);
    }

    /// <summary>
    /// The body's arithmetic, but memory traffic of the node alone: operands read once and the result written once,
    /// which is what fusing saves.
    /// </summary>
    public override OpCost Cost(OpContext context)
    {
        double flops = context.Attributes.Graph("body").Nodes.Sum(node => node.Op.Cost(
            new OpContext(node.Op, node.Operands.Select(o => o.Type).ToArray(), node.Attributes, node.Loc, node.Type)).Flops);
        return OpCost.Streaming(context, 0) with { Flops = flops };
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>
    /// Emits <c>fused(operands...) {kernel="..."} : T { body }</c>: <paramref name="body"/>'s inputs stand for
    /// <paramref name="operands"/> (same count and types) and its single output is the result.
    /// </summary>
    public static Node Fused(this GraphBuilder builder, IReadOnlyList<Value> operands, Graph body, string? kernel = null) =>
        builder.Emit(Ops.Fused.Instance, operands, kernel is null
            ? AttributeMap.Of(("body", new GraphAttr(body)))
            : AttributeMap.Of(("body", new GraphAttr(body)), ("kernel", new StringAttr(kernel))));
}
