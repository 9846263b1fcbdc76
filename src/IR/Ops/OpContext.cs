namespace GraphDL.IR;

/// <summary>What a type rule or cost model sees of a node: operand types, attributes, where it came from, and (for cost) its result.</summary>
public sealed class OpContext
{
    public OpContext(OpDef op, IReadOnlyList<TensorType> operands, AttributeMap attributes, SourceLoc loc, TensorType? result = null)
    {
        Op = op;
        Operands = operands;
        Attributes = attributes;
        Loc = loc;
        _result = result;
    }

    private readonly TensorType? _result;

    public OpDef Op { get; }

    public IReadOnlyList<TensorType> Operands { get; }

    public AttributeMap Attributes { get; }

    public SourceLoc Loc { get; }

    /// <summary>The result type; available to cost models, not to type rules (which compute it).</summary>
    public TensorType Result => _result ?? throw new InvalidOperationException("the result type is not known while inferring it");

    public TensorType this[int index] => Operands[index];

    /// <summary>An error naming this op and location; type rules <c>throw context.Error("...")</c>.</summary>
    public ShapeException Error(string detail) => new(Op.Name, Operands, detail, Loc);

    /// <summary>Reads an axis attribute and checks 0 ≤ axis &lt; rank (the IR holds axes normalized; the DSL accepts negative ones).</summary>
    public int Axis(string attribute, int rank)
    {
        long axis = Attributes.Int(attribute);
        if (axis < 0 || axis >= rank)
        {
            throw Error(rank == 0 ? $"{attribute}={axis}: a rank-0 operand has no axes" : $"{attribute}={axis} is out of range for rank {rank} (axes are 0 to {rank - 1})");
        }
        return (int)axis;
    }
}

/// <summary>What a reference evaluation sees: operand values, attributes, the result type and the source location.</summary>
public sealed class EvalContext
{
    public EvalContext(OpDef op, IReadOnlyList<HostTensor> operands, AttributeMap attributes, TensorType result, SourceLoc loc)
    {
        Op = op;
        Operands = operands;
        Attributes = attributes;
        Result = result;
        Loc = loc;
    }

    public OpDef Op { get; }

    public IReadOnlyList<HostTensor> Operands { get; }

    public AttributeMap Attributes { get; }

    public TensorType Result { get; }

    public SourceLoc Loc { get; }

    public HostTensor this[int index] => Operands[index];

    public EvaluationException Error(string detail) => new(Op.Name, detail, Loc);

    /// <summary>An axis attribute (already checked by the type rule).</summary>
    public int Axis(string attribute) => (int)Attributes.Int(attribute);
}
