namespace GraphDL.IR;

/// <summary>An op lacks a rule a transform needs (VJP, JVP, ...). Names the op, the user's line and the file to edit; never a silent zero.</summary>
public sealed class MissingRuleException : GraphDLException
{
    public MissingRuleException(OpDef op, string rule, SourceLoc loc)
        : base((loc.IsKnown ? $"{loc}: " : "") + $"error: {op.Name} has no {rule} rule; add it in src/IR/Ops/{op.GetType().Name}.cs")
    {
        OpName = op.Name;
        Rule = rule;
    }

    public string OpName { get; }

    public string Rule { get; }
}
