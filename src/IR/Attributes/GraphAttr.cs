namespace GraphDL.IR;

/// <summary>
/// A nested graph held by a node, such as the body of a <c>fused</c> node. It is an attribute so that every pass
/// rebuilding a node with <c>builder.Emit(node.Op, operands, node.Attributes)</c> keeps the body without knowing about
/// it. Equality is structural (<see cref="GraphEquality"/>, the body's own name aside, since the text form has none),
/// so a parsed body equals the printed one and CSE merges identical kernels.
/// </summary>
public sealed record GraphAttr(Graph Value) : Attr
{
    public override AttrKind Kind => AttrKind.Graph;

    /// <summary>The region as the printer writes it after the node's type: <c>{ (%x: f32[4]) ... return %1 }</c>.</summary>
    public override string Format() => Text.GirPrinter.Region(Value, "");

    public bool Equals(GraphAttr? other) =>
        other is not null && (ReferenceEquals(Value, other.Value) || GraphEquality.FirstBodyDifference(Value, other.Value) is null);

    /// <summary>Hashes the shape of the body (input types and op sequence), consistent with structural equality.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var input in Value.Inputs)
        {
            hash.Add(input.Type);
        }
        foreach (var node in Value.Nodes)
        {
            hash.Add(node.Op.Name);
            hash.Add(node.Type);
        }
        return hash.ToHashCode();
    }
}
