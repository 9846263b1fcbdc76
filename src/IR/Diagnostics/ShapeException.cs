namespace GraphDL.IR;

/// <summary>
/// An op's type rule rejected its operands. The message names the op, the operand types and the user's
/// source line: <c>Mlp.cs:15: error: add: shapes f32[64,128] and f32[64,10] do not match</c>.
/// </summary>
public sealed class ShapeException : GraphDLException
{
    public ShapeException(string opName, IReadOnlyList<TensorType> operandTypes, string detail, SourceLoc loc)
        : base(Compose(opName, detail, loc))
    {
        OpName = opName;
        OperandTypes = operandTypes;
        Detail = detail;
        Loc = loc;
    }

    public string OpName { get; }

    public IReadOnlyList<TensorType> OperandTypes { get; }

    /// <summary>The type rule's own words, without op name or location.</summary>
    public string Detail { get; }

    public SourceLoc Loc { get; }

    private static string Compose(string opName, string detail, SourceLoc loc) =>
        (loc.IsKnown ? $"{loc}: " : "") + $"error: {opName}: {detail}";
}
