using System.Globalization;
using System.Text.RegularExpressions;
using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Every <c>.gir</c> under <c>tests/GraphDL.Tests/Codegen/Regressions/</c> (copied to the output directory) runs
/// compiled fused, compiled unfused and on the interpreter, for the seeds named in its <c>// seed=N</c> comments and
/// seeds 0–2, with special values in the inputs, and once with plain normal inputs: in exact mode bit for bit, and in
/// fast mode within the modelled rounding error (<see cref="DiffOracle"/>).
/// Shrunk failures of <see cref="RandomGraphTests"/> are added here (see there); the first three are hand-written.
/// </summary>
public partial class RegressionTests
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Codegen", "Regressions");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Dir, "*.gir").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [GeneratedRegex(@"//\s*seed=(\d+)")]
    private static partial Regex SeedComment();

    [Theory]
    [MemberData(nameof(Files))]
    public void CompiledFusedAndUnfusedMatchTheInterpreter(string file) => Check(file, DiffOracle.Exact);

    [Theory]
    [MemberData(nameof(Files))]
    public void CompiledInFastModeMatchesTheInterpreterWithinTheModelledError(string file) => Check(file, DiffOracle.Fast);

    private static void Check(string file, DiffOracle oracle)
    {
        var text = File.ReadAllText(Path.Combine(Dir, file));
        var seeds = SeedComment().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Concat([0, 1, 2]).Distinct().ToArray();
        var graphs = GirParser.ParseModule(text, file);
        Assert.NotEmpty(graphs);
        foreach (var graph in graphs)
        {
            foreach (int seed in seeds)
            {
                var failure = BackendDiff.Mismatch(graph, BackendDiff.Inputs(graph, seed), oracle, null);
                Assert.True(failure is null, $"@{graph.Name}, seed {seed}: {failure}");
            }
            var plain = BackendDiff.Mismatch(graph, BackendDiff.Inputs(graph, 0, specials: false), oracle, null);
            Assert.True(plain is null, $"@{graph.Name}, plain inputs: {plain}");
        }
    }

    [Fact]
    public void TheRegressionFolderHoldsTheHandWrittenGraphs() =>
        Assert.Superset(new HashSet<string> { "broadcast_size1.gir", "zero_size.gir", "chain_to_reduction.gir" },
            Directory.GetFiles(Dir, "*.gir").Select(Path.GetFileName).OfType<string>().ToHashSet());
}
