using System.Text;
using System.Text.RegularExpressions;

namespace GraphDL.Tests.Passes;

/// <summary>The kinds of directive <see cref="FileCheck"/> understands.</summary>
public enum CheckKind
{
    /// <summary><c>CHECK:</c> the pattern occurs after the previous match (later on the same line, or on a later line).</summary>
    Check,
    /// <summary><c>CHECK-NEXT:</c> the pattern occurs on the line right after the previous match.</summary>
    Next,
    /// <summary><c>CHECK-NOT:</c> the pattern does not occur between the previous match and the next one.</summary>
    Not,
    /// <summary><c>CHECK-LABEL:</c> like CHECK, and splits the output into blocks matched independently.</summary>
    Label,
}

/// <summary>One directive: its kind, its pattern (trimmed) and its line in the check file.</summary>
public sealed record CheckDirective(CheckKind Kind, string Pattern, int Line)
{
    public string Keyword(string prefix) => Kind switch
    {
        CheckKind.Check => prefix,
        CheckKind.Next => prefix + "-NEXT",
        CheckKind.Not => prefix + "-NOT",
        _ => prefix + "-LABEL",
    };
}

/// <summary>A failed check: the message names the check line, its pattern and the part of the output searched.</summary>
public sealed class FileCheckException(string message) : Exception(message);

/// <summary>
/// A small FileCheck (after LLVM's): directives in <c>// CHECK...:</c> comments of a check file are matched in order
/// against an output text.
/// <list type="bullet">
/// <item>A pattern is literal text, except <c>{{regex}}</c> (an inline .NET regex), <c>[[NAME:regex]]</c> (matches the
/// regex and binds its text to NAME) and <c>[[NAME]]</c> (the text bound to NAME, matched literally). Names are
/// <c>[A-Za-z_][A-Za-z0-9_]*</c> and stay bound for the rest of the file; a later definition rebinds. A <c>[[</c> not
/// followed by a name and <c>]]</c> or <c>:</c> is literal text, so tensor literals such as <c>[[1.0, 2.0]]</c> need
/// no escaping.</item>
/// <item>A pattern matches within one output line. Its leading and trailing whitespace is ignored and each run of
/// spaces or tabs inside it matches any non-empty run of spaces or tabs (LLVM's default, not --strict-whitespace).</item>
/// <item>CHECK-LABEL patterns are first found in order in the whole output; they cut it into blocks, and the other
/// directives between two labels must match within the block of the first. So a failure in one graph's checks
/// cannot be "rescued" by a match in the next graph.</item>
/// <item>CHECK-NOT patterns must not occur between the end of the previous match (or the block's start) and the start
/// of the next match (or the block's end).</item>
/// </list>
/// </summary>
public static partial class FileCheck
{
    [GeneratedRegex(@"//\s*(?<prefix>[A-Za-z][A-Za-z0-9_]*)(?<suffix>-[A-Za-z]+)?:(?<pattern>.*)$")]
    private static partial Regex DirectiveSyntax();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    /// <summary><c>[[NAME]]</c> or <c>[[NAME:</c>: any other <c>[[</c> is literal text (nested lists such as <c>[[1.0, 2.0]]</c>).</summary>
    [GeneratedRegex(@"^\[\[[A-Za-z_][A-Za-z0-9_]*(\]\]|:)")]
    private static partial Regex VariableStart();

    /// <summary>The directives of <paramref name="checkText"/> with the given prefix, in order.</summary>
    public static IReadOnlyList<CheckDirective> Parse(string checkText, string checkFile = "<checks>", string prefix = "CHECK")
    {
        var directives = new List<CheckDirective>();
        var lines = checkText.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var match = DirectiveSyntax().Match(lines[i]);
            if (!match.Success || match.Groups["prefix"].Value != prefix)
            {
                continue;
            }
            int line = i + 1;
            var kind = match.Groups["suffix"].Value switch
            {
                "" => CheckKind.Check,
                "-NEXT" => CheckKind.Next,
                "-NOT" => CheckKind.Not,
                "-LABEL" => CheckKind.Label,
                var other => throw new FileCheckException($"{checkFile}:{line}: error: unknown directive {prefix}{other}: (known: {prefix}, {prefix}-NEXT, {prefix}-NOT, {prefix}-LABEL)"),
            };
            var pattern = match.Groups["pattern"].Value.Trim();
            if (pattern.Length == 0)
            {
                throw new FileCheckException($"{checkFile}:{line}: error: {prefix}{match.Groups["suffix"].Value}: has an empty pattern");
            }
            if (kind == CheckKind.Label && pattern.Contains("[["))
            {
                throw new FileCheckException($"{checkFile}:{line}: error: {prefix}-LABEL: cannot define or use variables: {pattern}");
            }
            directives.Add(new CheckDirective(kind, pattern, line));
        }
        if (directives.Count == 0)
        {
            throw new FileCheckException($"{checkFile}: error: no {prefix}: lines found");
        }
        return directives;
    }

    /// <summary>Checks <paramref name="output"/> against the directives of <paramref name="checkText"/>; throws <see cref="FileCheckException"/> at the first failure.</summary>
    public static void Match(string checkText, string output, string checkFile = "<checks>", string prefix = "CHECK") =>
        new Matcher(Parse(checkText, checkFile, prefix), output, checkFile, prefix).Run();

    /// <summary>A position in the output: a line (0-based) and a column in it.</summary>
    private readonly record struct Position(int Line, int Column) : IComparable<Position>
    {
        public int CompareTo(Position other) => Line != other.Line ? Line.CompareTo(other.Line) : Column.CompareTo(other.Column);
    }

    private sealed record Found(Position Start, Position End);

    private sealed class Matcher(IReadOnlyList<CheckDirective> directives, string output, string checkFile, string prefix)
    {
        private readonly string[] _lines = output.Split('\n');
        private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

        private Position EndOfOutput => new(_lines.Length - 1, _lines[^1].Length);

        public void Run()
        {
            // Labels first: each is searched from the previous label's match, over the whole output.
            var labelStarts = new Dictionary<CheckDirective, Found>();
            var from = new Position(0, 0);
            foreach (var label in directives.Where(d => d.Kind == CheckKind.Label))
            {
                var found = Search(Compile(label), from, EndOfOutput)
                    ?? throw Failure(label, "expected string not found in the output", from, EndOfOutput);
                labelStarts[label] = found;
                from = found.End;
            }

            var cursor = new Position(0, 0);
            int previousLine = -1;
            var blockEnd = NextLabelStart(0, labelStarts);
            var pending = new List<CheckDirective>();
            for (int i = 0; i < directives.Count; i++)
            {
                var directive = directives[i];
                switch (directive.Kind)
                {
                    case CheckKind.Label:
                        CheckNothingExcluded(pending, cursor, labelStarts[directive].Start);
                        cursor = labelStarts[directive].End;
                        previousLine = cursor.Line;
                        blockEnd = NextLabelStart(i + 1, labelStarts);
                        break;
                    case CheckKind.Not:
                        pending.Add(directive);
                        break;
                    case CheckKind.Check:
                    case CheckKind.Next:
                    {
                        if (directive.Kind == CheckKind.Next && previousLine < 0)
                        {
                            throw new FileCheckException($"{checkFile}:{directive.Line}: error: {directive.Keyword(prefix)}: has no previous match to follow (the first directive must not be {prefix}-NEXT)");
                        }
                        var regex = Compile(directive);
                        var found = Search(regex, cursor, blockEnd)
                            ?? throw Failure(directive, "expected string not found", cursor, blockEnd, regex);
                        if (directive.Kind == CheckKind.Next && found.Start.Line != previousLine + 1)
                        {
                            string where = found.Start.Line == previousLine ? "on the same line as the previous match" : $"on output line {found.Start.Line + 1}";
                            throw Failure(directive, $"the match is {where}, not on the line after the previous match (output line {previousLine + 1})",
                                new Position(previousLine, 0), new Position(found.Start.Line, _lines[found.Start.Line].Length), regex);
                        }
                        CheckNothingExcluded(pending, cursor, found.Start);
                        cursor = found.End;
                        previousLine = found.End.Line;
                        break;
                    }
                }
            }
            CheckNothingExcluded(pending, cursor, blockEnd);
        }

        /// <summary>Where the block of directive <paramref name="index"/> ends: at the next label's match, or the end of the output.</summary>
        private Position NextLabelStart(int index, Dictionary<CheckDirective, Found> labels)
        {
            for (int i = index; i < directives.Count; i++)
            {
                if (directives[i].Kind == CheckKind.Label)
                {
                    return labels[directives[i]].Start;
                }
            }
            return EndOfOutput;
        }

        private void CheckNothingExcluded(List<CheckDirective> pending, Position from, Position to)
        {
            foreach (var not in pending)
            {
                var regex = Compile(not);
                if (Search(regex, from, to, bind: false) is { } found)
                {
                    throw Failure(not, $"excluded string found at output line {found.Start.Line + 1}", from, to, regex);
                }
            }
            pending.Clear();
        }

        /// <summary>The first match of <paramref name="regex"/> within one line, starting at or after <paramref name="from"/> and ending by <paramref name="to"/>.</summary>
        private Found? Search(Regex regex, Position from, Position to, bool bind = true)
        {
            for (int line = from.Line; line <= to.Line && line < _lines.Length; line++)
            {
                int start = line == from.Line ? from.Column : 0;
                int end = line == to.Line ? Math.Max(start, to.Column) : _lines[line].Length;
                var match = regex.Match(_lines[line][..end], start);
                if (!match.Success)
                {
                    continue;
                }
                if (bind)
                {
                    foreach (var name in regex.GetGroupNames().Where(n => !int.TryParse(n, out _)))
                    {
                        _variables[name] = match.Groups[name].Value;
                    }
                }
                return new Found(new Position(line, match.Index), new Position(line, match.Index + match.Length));
            }
            return null;
        }

        /// <summary>The pattern as a regex, with variables used in it replaced by their current (escaped) text.</summary>
        private Regex Compile(CheckDirective directive)
        {
            var pattern = directive.Pattern;
            var regex = new StringBuilder();
            var definedHere = new HashSet<string>(StringComparer.Ordinal);
            int i = 0;
            while (i < pattern.Length)
            {
                if (pattern.AsSpan(i).StartsWith("{{"))
                {
                    int close = pattern.IndexOf("}}", i + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        throw Syntax(directive, $"'{{{{' at column {i + 1} has no closing '}}}}'");
                    }
                    regex.Append("(?:").Append(CheckRegex(directive, pattern[(i + 2)..close])).Append(')');
                    i = close + 2;
                }
                else if (VariableStart().IsMatch(pattern[i..]))
                {
                    int close = pattern.IndexOf("]]", i + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        throw Syntax(directive, $"'[[' at column {i + 1} has no closing ']]'");
                    }
                    var body = pattern[(i + 2)..close];
                    int colon = body.IndexOf(':');
                    var name = colon < 0 ? body : body[..colon];
                    if (!VariableName().IsMatch(name))
                    {
                        throw Syntax(directive, $"'{name}' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
                    }
                    if (colon >= 0)
                    {
                        if (directive.Kind == CheckKind.Not)
                        {
                            throw Syntax(directive, $"{prefix}-NOT: cannot define a variable ([[{name}:...]])");
                        }
                        if (!definedHere.Add(name))
                        {
                            throw Syntax(directive, $"variable {name} is defined twice in one pattern");
                        }
                        regex.Append("(?<").Append(name).Append('>').Append(CheckRegex(directive, body[(colon + 1)..])).Append(')');
                    }
                    else if (definedHere.Contains(name))
                    {
                        regex.Append(@"\k<").Append(name).Append('>');
                    }
                    else if (_variables.TryGetValue(name, out var value))
                    {
                        regex.Append(Regex.Escape(value));
                    }
                    else
                    {
                        throw Syntax(directive, $"variable {name} is used but not defined by an earlier match");
                    }
                    i = close + 2;
                }
                else if (pattern[i] is ' ' or '\t')
                {
                    while (i < pattern.Length && pattern[i] is ' ' or '\t')
                    {
                        i++;
                    }
                    regex.Append(@"[ \t]+");
                }
                else
                {
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    i++;
                }
            }
            return new Regex(regex.ToString(), RegexOptions.CultureInvariant);
        }

        private string CheckRegex(CheckDirective directive, string text)
        {
            try
            {
                _ = new Regex(text);
                return text;
            }
            catch (ArgumentException e)
            {
                throw Syntax(directive, $"bad regex '{text}': {e.Message}");
            }
        }

        private FileCheckException Syntax(CheckDirective directive, string detail) =>
            new($"{checkFile}:{directive.Line}: error: {directive.Keyword(prefix)}: {detail}\n  pattern: {directive.Pattern}");

        /// <summary>The failure message: the check line, the pattern (and its regex), bound variables, and the searched part of the output.</summary>
        private FileCheckException Failure(CheckDirective directive, string what, Position from, Position to, Regex? regex = null)
        {
            var message = new StringBuilder();
            message.Append($"{checkFile}:{directive.Line}: error: {directive.Keyword(prefix)}: {what}\n");
            message.Append($"  pattern: {directive.Pattern}\n");
            if (regex is not null)
            {
                message.Append($"  regex:   {regex}\n");
            }
            var used = _variables.Where(v => directive.Pattern.Contains($"[[{v.Key}]]")).ToArray();
            foreach (var (name, value) in used)
            {
                message.Append($"  with {name} = \"{value}\"\n");
            }
            int last = Math.Min(to.Line, _lines.Length - 1);
            message.Append($"  searched output lines {from.Line + 1} to {last + 1}{(from.Column > 0 ? $" (line {from.Line + 1} from column {from.Column + 1})" : "")}:\n");
            const int MaxShown = 30;
            for (int line = from.Line; line <= last && line < from.Line + MaxShown; line++)
            {
                message.Append($"  {line + 1,5} | {_lines[line]}\n");
            }
            if (last - from.Line + 1 > MaxShown)
            {
                message.Append($"  ... ({last - from.Line + 1 - MaxShown} more lines)\n");
            }
            return new FileCheckException(message.ToString());
        }
    }
}
