using GraphDL.IR;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Text;

/// <summary>Hand-written valid files parse, and their canonical form is a fixed point of print∘parse.</summary>
public class ValidCorpusTests
{
    internal static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Corpus", "Valid");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Dir, "*.gir").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ParsesAndRoundTrips(string name)
    {
        var graphs = GirParser.ParseModule(File.ReadAllText(Path.Combine(Dir, name)), name);
        var printed = GirPrinter.Print(graphs);
        var again = GirParser.ParseModule(printed, name);
        Assert.Equal(printed, GirPrinter.Print(again));
        Assert.Equal(graphs.Count, again.Count);
        for (int i = 0; i < graphs.Count; i++)
        {
            Assert.Null(GraphEquality.FirstDifference(graphs[i], again[i]));
        }
    }
}
