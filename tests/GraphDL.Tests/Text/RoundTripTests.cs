using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.IR.Text;
using GraphDL.Runtime;
using GraphDL.Tests.OpInfo;

namespace GraphDL.Tests.Text;

/// <summary>
/// print∘parse round trips: for every primitive (one graph per op, built from its OpInfo samples) and for traced
/// models. <c>Print(Parse(Print(g))) == Print(g)</c> and <c>Parse(Print(g))</c> is structurally equal to g.
/// </summary>
public class RoundTripTests
{
    internal static void AssertRoundTrips(Graph graph)
    {
        var printed = graph.ToString();
        var parsed = GirParser.Parse(printed, "roundtrip.gir");
        Assert.Equal(printed, parsed.ToString());
        var difference = GraphEquality.FirstDifference(graph, parsed);
        Assert.True(difference is null, $"{difference}\n{printed}");
    }

    public static TheoryData<string> OpNames()
    {
        var data = new TheoryData<string>();
        foreach (var op in OpRegistry.All)
        {
            data.Add(op.Name);
        }
        return data;
    }

    /// <summary>All valid samples of one op in one graph: every attribute combination the samples use is printed and parsed.</summary>
    [Theory]
    [MemberData(nameof(OpNames))]
    public void EveryPrimitiveRoundTrips(string opName)
    {
        var op = OpRegistry.Find(opName)!;
        var samples = OpInfoTests.AllSamples().Where(s => s.Op == opName && s.TypeError is null).ToArray();
        Assert.NotEmpty(samples);
        var builder = new GraphBuilder(opName.Replace('_', '.') + "_samples");
        int line = 1;
        foreach (var sample in samples)
        {
            var inputs = sample.Inputs.Select(t => (Value)builder.AddInput($"s{line}_{builder.Inputs.Count}", t.Type)).ToArray();
            using (builder.At(new SourceLoc("Samples.cs", line++)))
            {
                builder.Output(builder.Emit(op, inputs, AttributeMap.Of(sample.Attributes.ToArray())), $"r{line}");
            }
        }
        AssertRoundTrips(builder.Build());
    }

    [Fact]
    public void LiteralsOfEveryDTypeRoundTrip()
    {
        var builder = new GraphBuilder("literals");
        foreach (var dtype in DTypes.All.Where(d => d.IsNumeric()))
        {
            var x = builder.AddInput("x_" + dtype.Name(), new TensorType(dtype, 2));
            foreach (var value in new[] { 0.0, -0.0, 1.5, -2.0, 65504.0, 1e-8, 3.4e38, 1e300, double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                if (dtype.IsInteger() && (!double.IsFinite(value) || value != Math.Floor(value) || Math.Abs(value) > 1e9))
                {
                    continue;
                }
                builder.Output(builder.Add(x, builder.Literal(Scalar.FromDouble(DType.F64, value), x.Type)));
            }
        }
        var b = builder.AddInput("b", new TensorType(DType.Bool, 2));
        builder.Output(builder.Emit(And.Instance, b, builder.Literal(Scalar.FromBool(true), b.Type)));
        AssertRoundTrips(builder.Build());
    }

    [Fact]
    public void ParsedGraphComputesTheSameAsTheOriginal()
    {
        var graph = GirParser.ParseModule(File.ReadAllText(Path.Combine(ValidCorpusTests.Dir, "shapes.gir")))[0];
        var inputs = RandomInputs.For(graph, 3);
        var reparsed = GirParser.Parse(graph.ToString());
        var expected = ReferenceInterpreter.Run(graph, inputs);
        var actual = ReferenceInterpreter.Run(reparsed, inputs);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(actual[i].BitEquals(expected[i]));
        }
    }
}
