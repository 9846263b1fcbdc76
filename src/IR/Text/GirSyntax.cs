namespace GraphDL.IR.Text;

/// <summary>Lexical rules of the <c>.gir</c> text form shared by printer, parser and builder.</summary>
public static class GirSyntax
{
    /// <summary>Column at which the printer aligns <c>loc(...)</c> suffixes.</summary>
    public const int LocColumn = 56;

    /// <summary>Deepest nesting of <c>[</c> the parser accepts (tensor literals), so no input can exhaust the stack.</summary>
    public const int MaxNesting = 64;

    /// <summary>A letter or '_' followed by letters, digits, '_' or '.': input, output and graph names (<c>l1.weight</c>).</summary>
    public static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.'))
            {
                return false;
            }
        }
        return true;
    }

    public static string FormatRole(InputRole role) => role switch
    {
        InputRole.Input => "input",
        InputRole.Param => "param",
        InputRole.State => "state",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>Quotes a string for the text form (loc file names, string attributes).</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
