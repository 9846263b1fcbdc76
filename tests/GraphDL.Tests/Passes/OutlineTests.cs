using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes.Fusion;
using GraphDL.Runtime;
using GraphDL.Tests.Text;

namespace GraphDL.Tests.Passes;

/// <summary>Outline turns node groups into fused nodes that compute exactly what the unfused graph computes.</summary>
public class OutlineTests
{
    private const string Mlp = """
        graph @mlp(%x: f32[4,3] input, %w: f32[3] param) -> (y: f32[4,3], s: f32[4]) {
          %0 = broadcast_in_dim(%w) {shape=[4,3], dims=[1]} : f32[4,3]
          %1 = mul(%x, %0) : f32[4,3]                          loc("Mlp.cs":14)
          %2 = max(%1, 0.0) : f32[4,3]                         loc("Mlp.cs":15)
          %3 = reduce_sum(%2) {axes=[1]} : f32[4]              loc("Mlp.cs":16)
          %4 = neg(%2) : f32[4,3]                              loc("Mlp.cs":17)
          return %4, %3
        }
        """;

    [Fact]
    public void FusedGraphComputesExactlyWhatTheUnfusedOneDoes()
    {
        var graph = GirParser.Parse(Mlp);
        var n = graph.Nodes;
        var fused = Outline.Apply(graph, [[n[0], n[1], n[2]], [n[4]]], ["k0", "k1"]);
        Assert.Equal(["fused", "reduce_sum", "fused"], fused.Nodes.Select(x => x.Op.Name));
        var body = fused.Nodes[0].Attributes.Graph("body");
        Assert.Equal(["w", "x"], body.Inputs.Select(i => i.Name));
        Assert.Equal(new SourceLoc("Mlp.cs", 15), body.Nodes[2].Loc);
        Assert.Equal("k0", fused.Nodes[0].Attributes.String("kernel"));
        RoundTripTests.AssertRoundTrips(fused);
        var inputs = RandomInputs.For(graph, 7);
        var expected = ReferenceInterpreter.Run(graph, inputs);
        var actual = ReferenceInterpreter.Run(fused, inputs);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(actual[i].BitEquals(expected[i]), $"output {i}");
        }
    }

    [Fact]
    public void AGroupWithTwoMembersUsedOutsideIsRejected()
    {
        var graph = GirParser.Parse(Mlp);
        var n = graph.Nodes;
        // The last member is the root; the other one read from outside is not recomputed by its reader.
        var error = Assert.Throws<ArgumentException>(() => Outline.Apply(graph, [[n[1], n[2], n[3]]]));
        Assert.Contains("reads max (node 2), which is", error.Message, StringComparison.Ordinal);
    }
}
