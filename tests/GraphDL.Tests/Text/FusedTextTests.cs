using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Text;

/// <summary>
/// The text form of <c>fused</c> nodes: the body printed inline after the node's type, its own inputs and numbering,
/// each body node keeping its <c>loc</c>; print∘parse is the identity, and errors inside a body point into it.
/// </summary>
public class FusedTextTests
{
    /// <summary>Canonical text: two fused nodes (one nested in the other's body), literals and locs inside bodies.</summary>
    internal const string Canonical = """
        graph @mlp(%h: f32[64,128] input, %b1: f32[128] param) -> (f32[64,128]) {
          %0 = neg(%h) : f32[64,128]                            loc("Mlp.cs":13)
          %1 = fused(%0, %b1) {kernel="k2"} : f32[64,128] {
            (%x: f32[64,128], %b: f32[128])
            %0 = broadcast_in_dim(%b) {shape=[64,128], dims=[1]} : f32[64,128]
            %1 = add(%x, %0) : f32[64,128]                      loc("Mlp.cs":14)
            %2 = max(%1, 0.0) : f32[64,128]                     loc("Mlp.cs":15)
            return %2
          }
          %2 = fused(%1) : f32[64,128]                          loc("Mlp.cs":16) {
            (%x: f32[64,128])
            %0 = fused(%x) {kernel="inner"} : f32[64,128] {
              (%y: f32[64,128])
              %0 = exp(%y) : f32[64,128]                        loc("Mlp.cs":17)
              return %0
            }
            return %0
          }
          return %2
        }

        """;

    [Fact]
    public void CanonicalTextIsAFixedPoint()
    {
        var graph = GirParser.Parse(Canonical, "mlp.gir");
        Assert.Equal(Canonical, graph.ToString());
        RoundTripTests.AssertRoundTrips(graph);
    }

    [Fact]
    public void BodyNodesKeepTheirLocsAndLiterals()
    {
        var graph = GirParser.Parse(Canonical, "mlp.gir");
        var fused = graph.Nodes[1];
        Assert.Same(Fused.Instance, fused.Op);
        Assert.Equal("k2", fused.Attributes.String("kernel"));
        var body = fused.Attributes.Graph("body");
        Assert.Equal(["x", "b"], body.Inputs.Select(i => i.Name));
        Assert.Equal([SourceLoc.Unknown, new SourceLoc("Mlp.cs", 14), new SourceLoc("Mlp.cs", 15)], body.Nodes.Select(n => n.Loc));
        var literal = Assert.IsType<Literal>(body.Nodes[2].Operands[1]);
        Assert.Equal(0.0, literal.Scalar.AsDouble());
        Assert.Null(graph.Nodes[2].Attributes.Find("kernel"));
        Assert.Equal(new SourceLoc("Mlp.cs", 16), graph.Nodes[2].Loc);
        var inner = graph.Nodes[2].Attributes.Graph("body").Nodes[0].Attributes.Graph("body");
        Assert.Equal(new SourceLoc("Mlp.cs", 17), inner.Nodes[0].Loc);
    }

    [Fact]
    public void BuiltGraphsRoundTrip()
    {
        var type = new TensorType(DType.F32, new Shape([3, 4]));
        var single = new GraphBuilder("single");
        var s = single.AddInput("s", type);
        using (single.At(new SourceLoc("Model.cs", 3)))
        {
            single.Output(single.Tanh(s));
        }
        var pair = new GraphBuilder("pair");
        var p = pair.AddInput("p", type);
        var q = pair.AddInput("q", type);
        pair.Output(pair.Where(pair.Lt(p, pair.Literal(Scalar.FromDouble(DType.F32, double.NegativeInfinity), type)), q, pair.Literal(Scalar.FromDouble(DType.F32, double.NaN), type)));

        var builder = new GraphBuilder("several");
        var x = builder.AddInput("x", type);
        var y = builder.AddInput("y", type, InputRole.State);
        var a = builder.Fused([x], single.Build(), "k0");
        var b = builder.Fused([a, y], pair.Build());
        var c = builder.Fused([b], single.Build(), "k2");
        builder.Output(c, "out");
        builder.Output(b, "updated", aliases: y);
        var graph = builder.Build();
        RoundTripTests.AssertRoundTrips(graph);
        Assert.Contains("    %0 = lt(%p, -inf) : bool[3,4]\n    %1 = where(%0, %q, nan) : f32[3,4]\n", graph.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NamesInABodyAreScopedToIt()
    {
        const string text = """
            graph @f(%w: f32[2] input) -> (f32[2]) {
              %0 = fused(%w) : f32[2] {
                (%x: f32[2])
                %0 = mul(%x, %w) : f32[2]
                return %0
              }
              return %0
            }
            """;
        var error = Assert.Throws<IrParseException>(() => GirParser.Parse(text, "scope.gir"));
        Assert.Equal((4, 18), (error.First.Line, error.First.Column));
        Assert.Contains("%w is not defined", error.First.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  %0 = neg(%w) : f32[2] {\n    (%x: f32[2])\n    return %x\n  }", 2, 25, "neg takes no body")]
    [InlineData("  %0 = fused(%w) : f32[2]", 2, 8, "fused needs attribute 'body'")]
    [InlineData("  %0 = fused(%w) : f32[2] {\n    (%x: f32[2])\n    return %x, %x\n  }", 4, 5, "a body returns exactly one value, this one returns 2")]
    [InlineData("  %0 = fused(%w) : f32[3] {\n    (%x: f32[2])\n    return %x\n  }", 4, 12, "the body returns %x of type f32[2], but the node's type is f32[3]")]
    [InlineData("  %0 = fused(%w) : f32[2] {\n    (%x: f32[2], %x: f32[2])\n    return %x\n  }", 3, 18, "%x is already defined")]
    [InlineData("  %0 = fused(%w) : f32[3] {\n    (%x: f32[2])\n    %0 = add(%x, %x) : f32[3]\n    return %0\n  }", 4, 24, "differs from the inferred type f32[2]")]
    [InlineData("  %0 = fused(%w) {body=1} : f32[2]", 2, 24, "must be a body")]
    [InlineData("  %0 = fused(%w, 1.0) : f32[2] {\n    (%x: f32[2], %y: f32[2])\n    return %x\n  }", 2, 18, "literal operands are only allowed on elementwise ops")]
    public void ErrorsPointIntoTheBody(string node, int line, int column, string fragment)
    {
        var text = "graph @f(%w: f32[2] input) -> (f32[2]) {\n" + node + "\n  return %0\n}\n";
        var error = Assert.Throws<IrParseException>(() => GirParser.Parse(text, "bad.gir"));
        Assert.Contains(fragment, error.First.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.First.Line, error.First.Column));
        Assert.StartsWith($"bad.gir:{line}:{column}: error:", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Bodies nest as deep as the bracket limit allows; the printed form parses back to an equal graph.</summary>
    [Fact]
    public void DeeplyNestedBodiesRoundTrip()
    {
        var type = new TensorType(DType.F32, new Shape([2]));
        Graph graph = Body(builder => builder.Neg(builder.Inputs[0]));
        for (int depth = 0; depth < 30; depth++)
        {
            var inner = graph;
            graph = Body(builder => builder.Fused([builder.Inputs[0]], inner, $"k{depth}"));
        }
        RoundTripTests.AssertRoundTrips(graph);
        Assert.Contains(new string(' ', 62) + "%0 = neg(%x) : f32[2]", graph.ToString(), StringComparison.Ordinal);

        Graph Body(Func<GraphBuilder, Value> emit)
        {
            var builder = new GraphBuilder("nest");
            builder.AddInput("x", type);
            builder.Output(emit(builder));
            return builder.Build();
        }
    }
}
