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
/// compute what its input computes, bit for bit, on seeded random inputs and on inputs of special values (NaN, ±inf,
/// ±0.0, extremes); a recipe with a fast-math pass is checked value for value on the random inputs only.
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

    /// <summary>
    /// Runs both graphs on the same inputs (by input name) and compares every output: seeded random inputs, and for
    /// exact pipelines also inputs made of special values (±0, ±inf, NaN, the extremes), paired differently per input.
    /// </summary>
    internal static void AssertSameResults(Graph before, Graph after, bool exact, string what)
    {
        var inputSets = new List<Func<GraphInput, HostTensor>> { i => HostTensor.Random(i.Type, new Random(StableSeed(i.Name))) };
        if (exact)
        {
            inputSets.Add(i => Specials(i.Type, StableSeed(i.Name)));
        }
        foreach (var make in inputSets)
        {
            var expected = ReferenceInterpreter.Run(before, before.Inputs.Select(make).ToArray());
            var actual = ReferenceInterpreter.Run(after, after.Inputs.Select(make).ToArray());
            Assert.Equal(expected.Count, actual.Count);
            for (int o = 0; o < expected.Count; o++)
            {
                Assert.Equal(expected[o].Type, actual[o].Type);
                bool same = exact ? actual[o].BitEquals(expected[o]) : actual[o].FirstMismatch(expected[o], 0, 0, equalNan: true) is null;
                Assert.True(same, $"{what}: output {before.OutputName(o)} changed ({actual[o].FirstMismatch(expected[o], 0, 0, equalNan: true) ?? "bits differ"})");
            }
        }
    }

    private static readonly double[] SpecialFloats = [0.0, -0.0, 1.0, -1.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 3.0e38, -3.0e38, 1e-40, 0.5, -2.5];

    private static readonly long[] SpecialIntegers = [0, 1, -1, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 7, 2];

    /// <summary>The special values in turn, starting at an offset that differs per input, so that two inputs meet in many combinations.</summary>
    private static HostTensor Specials(TensorType type, int seed)
    {
        long n = type.ElementCount;
        int start = seed % 97;
        if (type.DType.IsFloat())
        {
            var values = new double[n];
            for (long i = 0; i < n; i++)
            {
                values[i] = SpecialFloats[(start + i * (1 + seed % 5)) % SpecialFloats.Length];
            }
            return HostTensor.FromDoubles(type.DType, type.Shape, values);
        }
        if (type.DType.IsInteger())
        {
            var values = new long[n];
            for (long i = 0; i < n; i++)
            {
                values[i] = SpecialIntegers[(start + i * (1 + seed % 5)) % SpecialIntegers.Length];
            }
            return HostTensor.FromInt64s(type.DType, type.Shape, values);
        }
        return HostTensor.FromBools(type.Shape, Enumerable.Range(0, (int)n).Select(i => (i + start) % 3 == 0).ToArray());
    }
}
