namespace GraphDL.IR;

/// <summary>A value-dependent failure while evaluating a node, such as a gather index out of range.</summary>
public sealed class EvaluationException : GraphDLException
{
    public EvaluationException(string opName, string detail, SourceLoc loc)
        : base((loc.IsKnown ? $"{loc}: " : "") + $"error: {opName}: {detail}")
    {
        OpName = opName;
        Loc = loc;
    }

    public string OpName { get; }

    public SourceLoc Loc { get; }
}
