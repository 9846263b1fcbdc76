using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Passes.Simplify;

/// <summary>
/// <c>fold</c>: constant folding through the reference evaluation (<see cref="OpDef.Evaluate"/>, the semantics every
/// backend must match, so folding cannot change a result). A node whose operands are all constants — literals or
/// <see cref="OpTraits.Creation"/> nodes (<c>constant</c>, <c>full</c>, <c>iota</c>) — is evaluated and replaced by a
/// <c>full</c> node when every element of the result is the same (bitwise), else by a <c>constant</c> node; the new
/// node keeps the folded node's source location. Folding cascades, since a folded node is a constant for the nodes
/// after it. A <c>constant</c> whose elements are all equal becomes a <c>full</c>, which prints smaller.
/// <para>
/// Not folded: <see cref="OpTraits.Random"/> ops (they could be, being pure functions of seed and offset, but a
/// folded draw would put the random bits into the IR and hide the op from later passes); results of more than
/// <see cref="MaxConstantElements"/> elements that are not a splat (the IR would grow); and nodes whose operands or
/// result exceed <see cref="MaxEvaluatedElements"/> elements (the interpreter would be slow), except elementwise
/// ops on splats, which are evaluated on one element: an <see cref="OpTraits.Elementwise"/> result element depends
/// only on the operand elements at its own position, so a splat in gives a splat out. A node whose evaluation fails
/// (a gather of constant indices out of range) stays, for run time to report.
/// </para>
/// <code>
/// %0 = full() {shape=[4], value=2.0} : f32[4]
/// %1 = mul(%0, 3.0) : f32[4]       // becomes full() {shape=[4], value=6.0}
/// </code>
/// </summary>
public sealed class ConstantFolding : IPass
{
    /// <summary>The largest non-splat result that becomes a <c>constant</c> node.</summary>
    public const long MaxConstantElements = 4096;

    /// <summary>The most elements an operand or result may have for the node to be evaluated.</summary>
    public const long MaxEvaluatedElements = 1 << 20;

    public string Name => "fold";

    public string Description => "evaluate nodes whose operands are all constants";

    public Graph Run(Graph graph)
    {
        var rewrite = new GraphRewrite(graph);
        var values = new ConstantValues();
        foreach (var node in graph.Nodes)
        {
            var operands = rewrite.Operands(node);
            if (Fold(node, operands, values) is { } folded)
            {
                var replacement = folded.Splat is { } splat
                    ? rewrite.Emit(node.Loc, Full.Instance, [], AttributeMap.Of(("shape", new IntListAttr(node.Type.Shape)), ("value", new ScalarAttr(splat))))
                    : rewrite.Emit(node.Loc, Constant.Instance, [], AttributeMap.Of(("value", new TensorAttr(folded.Tensor!))));
                rewrite.Map(node, replacement);
                continue;
            }
            rewrite.Copy(node);
        }
        return rewrite.Finish();
    }

    /// <summary>The folded value of <paramref name="node"/>, or null when it stays as it is.</summary>
    private static Folded? Fold(Node node, Value[] operands, ConstantValues values)
    {
        var op = node.Op;
        if (op.Has(OpTraits.Random))
        {
            return null;
        }
        if (operands.Length == 0)
        {
            // A creation node is a constant already; only a constant that is a splat gets smaller (as a full).
            return op == Constant.Instance && SplatOf(node.Attributes.Tensor("value")) is { } splat ? new Folded(splat, null) : null;
        }
        if (!operands.All(ConstantValues.IsConstant))
        {
            return null;
        }
        if (op.Has(OpTraits.Elementwise) && operands.All(o => values.Splat(o) is not null))
        {
            return new Folded(EvaluateOnSplats(op, operands.Select(o => values.Splat(o)!.Value).ToArray(), node.Attributes, node.Type, node.Loc), null);
        }
        if (node.Type.ElementCount > MaxEvaluatedElements || operands.Any(o => o.Type.ElementCount > MaxEvaluatedElements))
        {
            return null;
        }
        var tensors = operands.Select(values.Tensor).ToArray();
        HostTensor value;
        try
        {
            value = op.Evaluate(new EvalContext(op, tensors, node.Attributes, node.Type, node.Loc));
        }
        catch (EvaluationException)
        {
            // E.g. a gather of constant indices out of range: left for run time, which reports it at the node.
            return null;
        }
        if (value.Type != node.Type)
        {
            throw new EvaluationException(op.Name, $"reference evaluation returned {value.Type}, the node's type is {node.Type}", node.Loc);
        }
        if (SplatOf(value) is { } same)
        {
            return new Folded(same, null);
        }
        return value.ElementCount <= MaxConstantElements ? new Folded(null, value) : null;
    }

    /// <summary>
    /// The value of an <see cref="OpTraits.Elementwise"/> op on splat operands, from the reference evaluation on one
    /// element of each (the result is a splat of it: element i of the result depends on elements i of the operands).
    /// </summary>
    internal static Scalar EvaluateOnSplats(OpDef op, IReadOnlyList<Scalar> operands, AttributeMap attributes, TensorType type, SourceLoc loc)
    {
        var scalars = operands.Select(HostTensor.FromScalar).ToArray();
        return op.Evaluate(new EvalContext(op, scalars, attributes, type.WithShape(Shape.Scalar), loc)).GetScalar(0);
    }

    /// <summary>The one value every element holds (bitwise), or null; an empty tensor is a splat of zero.</summary>
    internal static Scalar? SplatOf(HostTensor tensor)
    {
        if (tensor.ElementCount == 0)
        {
            return Scalar.FromDouble(tensor.DType, 0);
        }
        var first = tensor.GetScalar(0);
        for (long i = 1; i < tensor.ElementCount; i++)
        {
            if (!tensor.GetScalar(i).Equals(first))
            {
                return null;
            }
        }
        return first;
    }

    /// <summary>A folded result: a splat, or a whole tensor.</summary>
    private sealed record Folded(Scalar? Splat, HostTensor? Tensor);

    /// <summary>The values of constant nodes of the new graph, evaluated once when first needed.</summary>
    private sealed class ConstantValues
    {
        private readonly Dictionary<Value, HostTensor> _tensors = new(ReferenceEqualityComparer.Instance);

        public static bool IsConstant(Value value) =>
            value is Literal || (value is Node node && node.Op.Has(OpTraits.Creation) && !node.Op.Has(OpTraits.Random) && node.Operands.Count == 0);

        /// <summary>The splat value of a literal or <c>full</c> node, else null.</summary>
        public Scalar? Splat(Value value) => value switch
        {
            Literal literal => literal.Scalar,
            Node node when node.Op == Full.Instance => node.Attributes.Scalar("value"),
            _ => null,
        };

        public HostTensor Tensor(Value value)
        {
            if (value is Literal literal)
            {
                return HostTensor.Full(literal.Type, literal.Scalar);
            }
            if (!_tensors.TryGetValue(value, out var tensor))
            {
                var node = (Node)value;
                tensor = node.Op.Evaluate(new EvalContext(node.Op, [], node.Attributes, node.Type, node.Loc));
                _tensors[value] = tensor;
            }
            return tensor;
        }
    }
}
