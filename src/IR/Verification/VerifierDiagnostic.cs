namespace GraphDL.IR.Verification;

/// <summary>Which part of the graph a verifier diagnostic is about; the parser maps it back to a line and column.</summary>
public enum DiagnosticSite
{
    Signature,
    Input,
    Node,
    Operand,
    Attribute,
    ResultType,
    Output,
}

/// <summary>One problem the verifier found, with enough context to point at it in IR text or in C#.</summary>
public sealed record VerifierDiagnostic(string Message, DiagnosticSite Site, int Index = -1, int SubIndex = -1, string? AttributeName = null, SourceLoc Loc = default)
{
    /// <summary><c>Mlp.cs:14: error: ...</c> when the source line is known.</summary>
    public override string ToString() => (Loc.IsKnown ? $"{Loc}: " : "") + "error: " + Message;
}

/// <summary>A graph failed verification; carries every diagnostic found.</summary>
public sealed class VerificationException : GraphDLException
{
    public VerificationException(string graphName, IReadOnlyList<VerifierDiagnostic> diagnostics)
        : base($"graph @{graphName} failed verification:\n" + string.Join("\n", diagnostics.Select(d => "  " + d)))
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<VerifierDiagnostic> Diagnostics { get; }
}

/// <summary>What <see cref="Verifier.Verify(Graph)"/> found.</summary>
public sealed class VerificationResult
{
    internal VerificationResult(string graphName, IReadOnlyList<VerifierDiagnostic> diagnostics)
    {
        GraphName = graphName;
        Diagnostics = diagnostics;
    }

    public string GraphName { get; }

    public IReadOnlyList<VerifierDiagnostic> Diagnostics { get; }

    public bool IsValid => Diagnostics.Count == 0;

    public void ThrowIfAny()
    {
        if (!IsValid)
        {
            throw new VerificationException(GraphName, Diagnostics);
        }
    }
}
