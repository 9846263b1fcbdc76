using System.Text.RegularExpressions;
using GraphDL.IR;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Text;

/// <summary>
/// Every file in <c>Corpus/Malformed</c> starts with <c>// expect-error LINE:COL: FRAGMENT</c>; parsing it must throw
/// <see cref="IrParseException"/> whose first diagnostic is at that position and whose message holds the fragment.
/// </summary>
public partial class MalformedCorpusTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Corpus", "Malformed");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Dir, "*.gir").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [GeneratedRegex(@"^// expect-error (\d+):(\d+): (.*)$")]
    private static partial Regex Expectation();

    [Theory]
    [MemberData(nameof(Files))]
    public void FailsAtTheExpectedPlace(string name)
    {
        var text = File.ReadAllText(Path.Combine(Dir, name));
        var match = Expectation().Match(text.Split('\n')[0]);
        Assert.True(match.Success, $"{name} must start with '// expect-error LINE:COL: FRAGMENT'");
        var error = Assert.Throws<IrParseException>(() => GirParser.ParseModule(text, name));
        var first = error.First;
        Assert.Contains(match.Groups[3].Value, first.Message, StringComparison.Ordinal);
        Assert.Equal((int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value)), (first.Line, first.Column));
        Assert.StartsWith($"{name}:{first.Line}:{first.Column}: error: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("^", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorpusHasAtLeastForty() => Assert.True(Files().Count >= 40);
}
