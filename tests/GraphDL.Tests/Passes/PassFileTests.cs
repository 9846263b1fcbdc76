using System.Text.RegularExpressions;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes;
using GraphDL.Runtime;

namespace GraphDL.Tests.Passes;

/// <summary>
/// Runs every <c>Passes/*.gir</c> file as a pass test: each <c>// RUN: --passes=RECIPE [--check-prefix=P]</c> line runs
/// the recipe on every graph of the file (verifying after each pass), prints the results, and checks the printout
/// against the file's <c>// P:</c> lines (default prefix CHECK) with <see cref="FileCheck"/>. Each result must also
/// compute what its input computes on seeded random inputs, bit for bit (value for value when the recipe uses a
/// fast-math pass, which may turn −0.0 into +0.0).
/// </summary>
public partial class PassFileTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Passes");

    [GeneratedRegex(@"^\s*//\s*RUN:(?<args>.*)$", RegexOptions.Multiline)]
    private static partial Regex RunLine();

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
    public void PipelineOutputMatchesTheChecks(string name)
    {
        var text = File.ReadAllText(Path.Combine(Dir, name));
        var runs = RunLine().Matches(text).Select(m => ParseRun(name, m.Groups["args"].Value)).ToArray();
        Assert.True(runs.Length > 0, $"{name} has no // RUN: line");
        var graphs = GirParser.ParseModule(text, name);
        foreach (var (recipe, prefix) in runs)
        {
            var results = graphs.Select(g => Pipeline(recipe).Run(g)).ToArray();
            var printed = GirPrinter.Print(results);
            try
            {
                FileCheck.Match(text, printed, name, prefix);
            }
            catch (FileCheckException e)
            {
                throw new FileCheckException($"RUN: --passes={recipe} (prefix {prefix})\n{e.Message}\nfull output:\n{printed}");
            }
            for (int i = 0; i < graphs.Count; i++)
            {
                AssertSameResults(graphs[i], results[i], exact: !recipe.Contains("fast-math", StringComparison.Ordinal), $"{name}, @{graphs[i].Name}, --passes={recipe}");
            }
        }
    }

    internal static PassManager Pipeline(string recipe) =>
        new(PassRegistry.Parse(recipe), new PassOptions { VerifyEach = true, Log = TextWriter.Null });

    private static (string Recipe, string Prefix) ParseRun(string file, string args)
    {
        string? recipe = null;
        string prefix = "CHECK";
        foreach (var arg in args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (arg.StartsWith("--passes=", StringComparison.Ordinal))
            {
                recipe = arg["--passes=".Length..];
            }
            else if (arg.StartsWith("--check-prefix=", StringComparison.Ordinal))
            {
                prefix = arg["--check-prefix=".Length..];
            }
            else
            {
                throw new ArgumentException($"{file}: unknown RUN argument '{arg}' (known: --passes=RECIPE, --check-prefix=NAME)");
            }
        }
        return (recipe ?? throw new ArgumentException($"{file}: a RUN line needs --passes=RECIPE"), prefix);
    }

    /// <summary>An FNV-1a hash of <paramref name="name"/> (string.GetHashCode differs from run to run).</summary>
    internal static int StableSeed(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 16777619;
        }
        return (int)(hash & 0x7fffffff);
    }

    /// <summary>Runs both graphs on the same seeded random inputs (by input name) and compares every output.</summary>
    internal static void AssertSameResults(Graph before, Graph after, bool exact, string what)
    {
        static HostTensor[] Inputs(Graph graph) => graph.Inputs.Select(i => HostTensor.Random(i.Type, new Random(StableSeed(i.Name)))).ToArray();
        var expected = ReferenceInterpreter.Run(before, Inputs(before));
        var actual = ReferenceInterpreter.Run(after, Inputs(after));
        Assert.Equal(expected.Count, actual.Count);
        for (int o = 0; o < expected.Count; o++)
        {
            Assert.Equal(expected[o].Type, actual[o].Type);
            bool same = exact ? actual[o].BitEquals(expected[o]) : actual[o].FirstMismatch(expected[o], 0, 0, equalNan: true) is null;
            Assert.True(same, $"{what}: output {before.OutputName(o)} changed ({actual[o].FirstMismatch(expected[o], 0, 0, equalNan: true) ?? "bits differ"})");
        }
    }
}
