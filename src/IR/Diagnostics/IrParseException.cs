using System.Text;

namespace GraphDL.IR;

/// <summary>One problem in a <c>.gir</c> file at a 1-based line and column.</summary>
public sealed record IrDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: error: {Message}";
}

/// <summary>
/// A <c>.gir</c> text could not be read: a syntax error, an unknown op or name, a bad attribute, or a graph the
/// verifier rejects. The message lists each problem as <c>file:line:col: error: ...</c> with the source line and a caret.
/// This is the only exception the parser lets escape, whatever the input.
/// </summary>
public sealed class IrParseException : GraphDLException
{
    public IrParseException(IReadOnlyList<IrDiagnostic> diagnostics, string source)
        : base(Compose(diagnostics, source))
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<IrDiagnostic> Diagnostics { get; }

    /// <summary>The first problem, which is usually the one to fix.</summary>
    public IrDiagnostic First => Diagnostics[0];

    private static string Compose(IReadOnlyList<IrDiagnostic> diagnostics, string source)
    {
        var lines = source.Split('\n');
        var text = new StringBuilder();
        foreach (var d in diagnostics.Take(20))
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }
            text.Append(d);
            if (d.Line >= 1 && d.Line <= lines.Length)
            {
                var line = lines[d.Line - 1].TrimEnd('\r');
                if (line.Length > 200)
                {
                    line = line[..200] + "...";
                }
                text.Append("\n  ").Append(line.Replace('\t', ' '));
                text.Append("\n  ").Append(' ', Math.Clamp(d.Column - 1, 0, line.Length)).Append('^');
            }
        }
        if (diagnostics.Count > 20)
        {
            text.Append($"\n({diagnostics.Count - 20} more errors)");
        }
        return text.ToString();
    }
}
