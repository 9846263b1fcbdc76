using System.Globalization;
using System.Text.RegularExpressions;
using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Every <c>.gir</c> under <c>tests/GraphDL.Tests/Codegen/Regressions/</c> (copied to the output directory) runs
/// compiled in every configuration (fused/unfused × planned/unplanned, bit-exact and fast) and on the interpreter,
/// for the seeds named in its <c>// seed=N</c> comments and seeds 0–2, with special values in the inputs, and once
/// with plain normal inputs: bit-exact configurations bit for bit, fast ones within the fast-mode enclosure
/// (<see cref="DiffOracle"/>). Shrunk failures of <see cref="RandomGraphTests"/> and <c>graphdl fuzz</c> are added
/// here (see there); the first three are hand-written.
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
    public void CompiledFusedAndUnfusedMatchTheInterpreter(string file) => Check(file, exact: true);

    [Theory]
    [MemberData(nameof(Files))]
    public void CompiledInFastModeMatchesTheInterpreterWithinTheModelledError(string file) => Check(file, exact: false);

    private static void Check(string file, bool exact)
    {
        var text = File.ReadAllText(Path.Combine(Dir, file));
        var seeds = SeedComment().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .Concat([0, 1, 2]).Distinct().ToArray();
        var graphs = GirParser.ParseModule(text, file);
        Assert.NotEmpty(graphs);
        var configurations = FuzzConfiguration.All.Where(c => c.Exact == exact).ToArray();
        foreach (var graph in graphs)
        {
            foreach (int seed in seeds)
            {
                var failures = BackendDiff.Check(new DiffOracle(graph, BackendDiff.Inputs(graph, seed)), configurations, null);
                Assert.True(failures.Count == 0, $"@{graph.Name}, seed {seed}: {string.Join("\n", failures)}");
            }
            var plain = BackendDiff.Check(new DiffOracle(graph, BackendDiff.Inputs(graph, 0, specials: false)), configurations, null);
            Assert.True(plain.Count == 0, $"@{graph.Name}, plain inputs: {string.Join("\n", plain)}");
        }
    }

    [Fact]
    public void TheRegressionFolderHoldsTheHandWrittenGraphs() =>
        Assert.Superset(new HashSet<string> { "broadcast_size1.gir", "zero_size.gir", "chain_to_reduction.gir" },
            Directory.GetFiles(Dir, "*.gir").Select(Path.GetFileName).OfType<string>().ToHashSet());
}
