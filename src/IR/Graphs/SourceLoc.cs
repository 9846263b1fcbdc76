namespace GraphDL.IR;

/// <summary>
/// Where a node came from: the user's C# file (name only, so dumps are the same on every machine) and line.
/// Text form: <c>loc("Mlp.cs":14)</c>; <see cref="Unknown"/> prints nothing.
/// </summary>
public readonly record struct SourceLoc(string File, int Line)
{
    public static SourceLoc Unknown { get; } = new(string.Empty, 0);

    public bool IsKnown => File.Length > 0;

    /// <summary><c>Mlp.cs:14</c>, or <c>&lt;unknown&gt;</c>.</summary>
    public override string ToString() => IsKnown ? $"{File}:{Line}" : "<unknown>";
}
