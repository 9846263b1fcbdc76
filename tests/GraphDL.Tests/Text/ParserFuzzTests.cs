using System.Diagnostics;
using CsCheck;
using GraphDL.IR;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Text;

/// <summary>
/// Mutation fuzzing of the parser with CsCheck: start from valid and malformed corpus files, apply random edits
/// (delete, insert syntax-relevant tokens, duplicate or swap lines, replace numbers), and require that parsing either
/// succeeds — then print∘parse is a fixed point — or throws <see cref="IrParseException"/>; never another
/// exception, never an internal error, never more than a second.
/// </summary>
public class ParserFuzzTests
{
    private static readonly string[] Tokens =
    [
        "%", "%0", "%x", "[", "]", "(", ")", "{", "}", ",", ":", "=", "-", "0", "1", "9", "\"", "@", "->", "\n", "//", " ",
        "f32", "i32", "bool", "f16", "graph", "return", "loc", "aliases", "param", "nan", "-inf", "1e999", "99999999999",
        "2147483648", "-2147483649", "0.5", "true", "add", "neg", "reshape", "concat", "reduce_sum", "{axes=[0]}", "[[[[",
        "\\", "\u00e9", "\t", "\r\n",
    ];

    private static string[] Seeds() => Directory.GetFiles(ValidCorpusTests.Dir, "*.gir")
        .Concat(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus", "Malformed"), "*.gir"))
        .Order(StringComparer.Ordinal)
        .Select(File.ReadAllText)
        .ToArray();

    /// <summary>One edit: kind, two positions (as fractions of the text length, in thousandths) and a token index.</summary>
    private static readonly Gen<(int Kind, int A, int B, int Token)> Edit =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, Tokens.Length - 1]);

    private static string Apply(string text, (int Kind, int A, int B, int Token) edit)
    {
        int a = (int)((long)edit.A * text.Length / 1000), b = (int)((long)edit.B * text.Length / 1000);
        (a, b) = (Math.Min(a, b), Math.Max(a, b));
        var lines = text.Split('\n').ToList();
        int la = edit.A * Math.Max(0, lines.Count - 1) / 1000, lb = edit.B * Math.Max(0, lines.Count - 1) / 1000;
        switch (edit.Kind)
        {
            case 0: // delete a span of at most 12 characters
                return text.Remove(a, Math.Min(b - a, 12));
            case 1: // insert a token
                return text.Insert(a, Tokens[edit.Token]);
            case 2: // replace a span with a token
                return text.Remove(a, Math.Min(b - a, 6)).Insert(a, Tokens[edit.Token]);
            case 3: // duplicate a line
                lines.Insert(lb, lines[la]);
                return string.Join('\n', lines);
            case 4: // swap two lines
                (lines[la], lines[lb]) = (lines[lb], lines[la]);
                return string.Join('\n', lines);
            default: // truncate
                return text[..a];
        }
    }

    [Fact]
    public void MutatedFilesGiveOnlyIrParseExceptions()
    {
        var seeds = Seeds();
        var gen = Gen.Select(Gen.Int[0, seeds.Length - 1], Edit.Array[1, 4])
            .Select(t => t.Item2.Aggregate(seeds[t.Item1], Apply));
        int parsed = 0, rejected = 0;
        gen.Sample(text =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var graphs = GirParser.ParseModule(text, "fuzz.gir");
                var printed = GirPrinter.Print(graphs);
                Assert.Equal(printed, GirPrinter.Print(GirParser.ParseModule(printed, "printed.gir")));
                parsed++;
            }
            catch (IrParseException e)
            {
                Assert.DoesNotContain("internal error", e.Message, StringComparison.Ordinal);
                Assert.NotEmpty(e.Diagnostics);
                rejected++;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"parsing took {clock.Elapsed.TotalMilliseconds:F0} ms");
        }, iter: 2000, threads: 1, print: text => text);
        Assert.True(rejected > 0 && parsed + rejected == 2000, $"{parsed} parsed, {rejected} rejected");
    }
}
