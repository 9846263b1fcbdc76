using GraphDL.IR;
using GraphDL.Tests.Architecture;

namespace GraphDL.Tests.Composites;

/// <summary>
/// Gradcheck in float64 of every composite in src/Frontend/Functional, orders 1 and 2, forward and reverse (with the
/// dot-product test). A composite file with neither samples nor a stated exemption fails by name.
/// </summary>
public class CompositeGradientTests
{
    private static readonly Lazy<CompositeGradSampleSet[]> Sets = new(() => typeof(CompositeGradientTests).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(CompositeGradSampleSet)) && !t.IsAbstract)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (CompositeGradSampleSet)Activator.CreateInstance(t)!)
        .ToArray());

    private static readonly Lazy<Dictionary<string, CompositeGradSample>> ById = new(() =>
        Sets.Value.SelectMany(s => s.Samples()).ToDictionary(s => s.Id));

    public static TheoryData<string> SampleIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in ById.Value.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void FirstAndSecondOrderInBothModes(string id)
    {
        var sample = ById.Value[id];
        var result = GradCheck.Check(sample.Function, sample.Inputs, order: 2, modes: GradCheckModes.Both);
        Assert.True(result.Passed, $"{id}: {result}");
        Assert.True(result.Comparisons > 0);
    }

    /// <summary>The composite files: every .cs under src/Frontend/Functional, by file stem.</summary>
    private static string[] CompositeFiles()
    {
        var directory = Path.Combine(LayeringTests.RepoRoot(), "src", "Frontend", "Functional");
        return Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension).Select(s => s!).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void EveryCompositeFileIsGradcheckedOrSaysWhyNot()
    {
        var files = CompositeFiles();
        Assert.True(files.Length >= 30, $"expected the composite files under src/Frontend/Functional, found {files.Length}");
        var covered = ById.Value.Values.Select(s => s.Composite).ToHashSet(StringComparer.Ordinal);
        var exempt = Sets.Value.SelectMany(s => s.Exempt).ToDictionary(e => e.Composite, e => e.Reason, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var file in files)
        {
            if (covered.Contains(file) && exempt.ContainsKey(file))
            {
                problems.Add($"{file}.cs has gradcheck samples but is also exempt ({exempt[file]})");
            }
            else if (!covered.Contains(file) && !exempt.ContainsKey(file))
            {
                problems.Add($"{file}.cs: no gradcheck sample (add one to a CompositeGradSampleSet under tests/GraphDL.Tests/Composites, or exempt it with a reason)");
            }
        }
        foreach (var name in covered.Concat(exempt.Keys).Where(n => !files.Contains(n)))
        {
            problems.Add($"{name}: a sample or exemption names no file src/Frontend/Functional/{name}.cs");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryExemptionGivesAReason() =>
        Assert.All(Sets.Value.SelectMany(s => s.Exempt), e => Assert.False(string.IsNullOrWhiteSpace(e.Reason), e.Composite));

    /// <summary>Each composite stamps every node it emits with its caller's file and line (it enters the trace with its caller info).</summary>
    [Theory]
    [MemberData(nameof(SampleIds))]
    public void EveryNodeCarriesTheCallersFile(string id)
    {
        var sample = ById.Value[id];
        var specs = sample.Inputs.Select((v, i) => TensorSpec.Input(v.DType, v.Shape.ToArray()).Named($"x{i}")).ToArray();
        var graph = Trace.Function("f", x => [sample.Function(x)], specs);
        Assert.All(graph.Nodes, n => Assert.True(n.Loc.IsKnown, $"{n} has no source line"));
        Assert.True(graph.Nodes.Select(n => n.Loc.File).Distinct().Count() <= 1, $"{id}: nodes from several files:\n{graph}");
    }
}
