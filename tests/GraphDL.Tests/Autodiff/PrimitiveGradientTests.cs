using GraphDL.IR;

namespace GraphDL.Tests.Autodiff;

/// <summary>
/// Gradcheck in float64 of every differentiable primitive, orders 1 and 2, forward and reverse, including the
/// dot-product test that ties the VJP to the JVP. A primitive with no sample and no stated reason fails by name.
/// </summary>
public class PrimitiveGradientTests
{
    private static readonly Lazy<GradSampleSet[]> Sets = new(() => typeof(PrimitiveGradientTests).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(GradSampleSet)) && !t.IsAbstract)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (GradSampleSet)Activator.CreateInstance(t)!)
        .ToArray());

    private static readonly Lazy<Dictionary<string, GradSample>> ById = new(() =>
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

    internal static Tensor Apply(GradSample sample, Tensor[] x) =>
        Tensor.Emit(OpRegistry.Find(sample.Op)!, x, AttributeMap.Of(sample.Attributes));

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void FirstAndSecondOrderInBothModes(string id)
    {
        var sample = ById.Value[id];
        var result = GradCheck.Check(x => Apply(sample, x), sample.Inputs, order: 2);
        Assert.True(result.Passed, $"{id}: {result}");
        Assert.True(result.Comparisons > 0);
    }

    [Fact]
    public void EveryPrimitiveIsCheckedOrSaysWhyNot()
    {
        var covered = ById.Value.Values.Select(s => s.Op).ToHashSet();
        var exempt = Sets.Value.SelectMany(s => s.NotDifferentiable).ToDictionary(e => e.Op, e => e.Reason);
        var problems = new List<string>();
        foreach (var op in OpRegistry.All)
        {
            if (covered.Contains(op.Name) && exempt.ContainsKey(op.Name))
            {
                problems.Add($"{op.Name} has gradient samples but is also declared not differentiable");
            }
            else if (!covered.Contains(op.Name) && !exempt.ContainsKey(op.Name))
            {
                problems.Add($"{op.Name}: no gradient samples (add them under tests/GraphDL.Tests/Autodiff/Samples, or declare why it has no derivative)");
            }
            else if (covered.Contains(op.Name) && !(op.HasVjp && op.HasJvp))
            {
                problems.Add($"{op.Name}: missing {(op.HasVjp ? "" : "VJP ")}{(op.HasJvp ? "" : "JVP ")}rule");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
