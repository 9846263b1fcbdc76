using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.OpInfo;

/// <summary>
/// The allclose comparison of <see cref="OpInfoTests"/> treats −0 and +0 as equal, as NumPy does. An OpInfo sample
/// whose name contains "signed zero" is checked once more here: every element it expects to be ±0 must come out with
/// that sign.
/// </summary>
public class SignedZeroTests
{
    public const string Marker = "signed zero";

    private static readonly Lazy<IReadOnlyDictionary<string, OpSample>> Marked = new(() => typeof(SignedZeroTests).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(OpSampleSet)) && !t.IsAbstract)
        .SelectMany(t => ((OpSampleSet)Activator.CreateInstance(t)!).Samples())
        .Where(s => s.Name.Contains(Marker, StringComparison.Ordinal))
        .ToDictionary(s => s.Id));

    public static TheoryData<string> SampleIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in Marked.Value.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void ZerosKeepTheirSign(string id)
    {
        var sample = Marked.Value[id];
        var expected = sample.Expected ?? throw new InvalidOperationException($"{id} is marked '{Marker}' but expects an error");
        Assert.True(expected.DType.IsFloat(), $"{id} is marked '{Marker}' but expects {expected.Type}");
        var actual = Run(sample);
        Assert.Equal(expected.Type, actual.Type);
        int zeros = 0;
        for (long i = 0; i < expected.ElementCount; i++)
        {
            double want = expected.GetDouble(i), got = actual.GetDouble(i);
            if (want == 0)
            {
                zeros++;
                Assert.True(got == 0 && double.IsNegative(got) == double.IsNegative(want),
                    $"{id}: element {i} is {got:R}{(got == 0 && double.IsNegative(got) ? " (-0)" : "")}, expected {(double.IsNegative(want) ? "-0" : "+0")}");
            }
        }
        Assert.True(zeros > 0, $"{id} is marked '{Marker}' but expects no zero");
    }

    [Fact]
    public void SomeSamplesAreMarked() => Assert.NotEmpty(Marked.Value);

    private static HostTensor Run(OpSample sample)
    {
        var op = OpRegistry.Find(sample.Op) ?? throw new InvalidOperationException($"no op named {sample.Op}");
        var builder = new GraphBuilder("sample");
        var inputs = sample.Inputs.Select((t, i) => (Value)builder.AddInput($"x{i}", t.Type)).ToArray();
        var node = builder.Emit(op, inputs, AttributeMap.Of(sample.Attributes.ToArray()));
        builder.Output(node);
        return ReferenceInterpreter.Run(builder.Build(), sample.Inputs)[0];
    }
}
