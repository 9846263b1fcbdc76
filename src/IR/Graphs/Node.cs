namespace GraphDL.IR;

/// <summary>
/// One application of a primitive op; the node is also the SSA value it defines (as an LLVM instruction is).
/// Immutable: passes build new nodes rather than edit old ones.
/// </summary>
public sealed class Node : Value
{
    internal Node(OpDef op, IReadOnlyList<Value> operands, AttributeMap attributes, TensorType type, SourceLoc loc) : base(type)
    {
        Op = op;
        Operands = operands;
        Attributes = attributes;
        Loc = loc;
    }

    public OpDef Op { get; }

    public IReadOnlyList<Value> Operands { get; }

    public AttributeMap Attributes { get; }

    /// <summary>The user's C# line that created this node (or, for backward nodes, the forward op they differentiate).</summary>
    public SourceLoc Loc { get; }

    public override string ToString() => $"{Op.Name} : {Type}" + (Loc.IsKnown ? $" at {Loc}" : "");
}
