using System.Reflection;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.OpInfo;

/// <summary>
/// Runs every OpInfo sample through the builder (type rule), the verifier and the reference interpreter, and checks
/// that every primitive has enough samples covering every edge-case category.
/// </summary>
public class OpInfoTests
{
    private static readonly Lazy<IReadOnlyList<OpSampleSet>> Sets = new(() => typeof(OpInfoTests).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(OpSampleSet)) && !t.IsAbstract)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (OpSampleSet)Activator.CreateInstance(t)!)
        .ToArray());

    private static readonly Lazy<IReadOnlyDictionary<string, OpSample>> ById = new(() =>
    {
        var byId = new Dictionary<string, OpSample>();
        foreach (var sample in Sets.Value.SelectMany(s => s.Samples()))
        {
            if (!byId.TryAdd(sample.Id, sample))
            {
                throw new InvalidOperationException($"duplicate OpInfo sample id {sample.Id}");
            }
        }
        return byId;
    });

    /// <summary>Every sample of every set, for other tests that reuse them (e.g. round trips).</summary>
    internal static IEnumerable<OpSample> AllSamples() => ById.Value.Values.OrderBy(s => s.Id, StringComparer.Ordinal);

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
    public void Sample(string id) => Check(ById.Value[id]);

    internal static void Check(OpSample sample)
    {
        var op = OpRegistry.Find(sample.Op) ?? throw new InvalidOperationException($"no op named {sample.Op}");
        var builder = new GraphBuilder("sample");
        var inputs = sample.Inputs.Select((t, i) => (Value)builder.AddInput($"x{i}", t.Type)).ToArray();
        var attributes = AttributeMap.Of(sample.Attributes.ToArray());
        if (sample.TypeError is { } fragment)
        {
            var error = Assert.Throws<ShapeException>(() => builder.Emit(op, inputs, attributes));
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
            Assert.Contains(sample.Op, error.Message, StringComparison.Ordinal);
            return;
        }
        var node = builder.Emit(op, inputs, attributes);
        builder.Output(node);
        var graph = builder.Build();
        if (sample.RunError is { } runFragment)
        {
            var error = Assert.Throws<EvaluationException>(() => ReferenceInterpreter.Run(graph, sample.Inputs));
            Assert.Contains(runFragment, error.Message, StringComparison.Ordinal);
            return;
        }
        var expected = sample.Expected ?? throw new InvalidOperationException($"{sample.Id} has neither an expectation nor an error");
        Assert.Equal(expected.Type, node.Type);
        var actual = ReferenceInterpreter.Run(graph, sample.Inputs)[0];
        Assert.Equal(expected.Type, actual.Type);
        var mismatch = actual.FirstMismatch(expected, sample.Rtol, sample.Atol, equalNan: true);
        Assert.True(mismatch is null, $"{sample.Id}: {mismatch}\nactual:   {actual}\nexpected: {expected}");
    }

    [Fact]
    public void EveryPrimitiveHasSixSamplesCoveringEveryCategory()
    {
        var samples = ById.Value.Values.ToLookup(s => s.Op);
        var exemptions = Sets.Value.SelectMany(s => s.Exemptions).ToLookup(e => e.Op);
        var problems = new List<string>();
        foreach (var op in OpRegistry.All)
        {
            var mine = samples[op.Name].ToArray();
            if (mine.Length < 6)
            {
                problems.Add($"{op.Name}: {mine.Length} samples (need at least 6)");
            }
            var covered = mine.Aggregate(Covers.None, (c, s) => c | s.Covers | (s.TypeError ?? s.RunError) switch { null => Covers.None, _ => Covers.Error });
            var exempt = exemptions[op.Name].Aggregate(Covers.None, (c, e) => c | e.Categories);
            if ((exempt & Covers.Error) != 0)
            {
                problems.Add($"{op.Name}: error samples cannot be exempted");
            }
            var missing = Covers.All & ~covered & ~exempt;
            if (missing != Covers.None)
            {
                problems.Add($"{op.Name}: no sample covers {missing}");
            }
        }
        foreach (var op in samples.Select(g => g.Key).Where(name => OpRegistry.Find(name) is null))
        {
            problems.Add($"samples name unknown op {op}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
