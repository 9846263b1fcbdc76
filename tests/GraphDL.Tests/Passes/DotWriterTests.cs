using System.Diagnostics;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes.Visualization;

namespace GraphDL.Tests.Passes;

/// <summary>Graphviz DOT emission: structure, labels, escaping, clusters, determinism, and that <c>dot</c> accepts it.</summary>
public sealed class DotWriterTests
{
    private const string Affine = """
        graph @affine(%x: f32[2,3] input, %s: f32[2,3] param) -> (y: f32[2,3] aliases %s, f32[2,3]) {
          %0 = mul(%x, %s) : f32[2,3]   loc("Affine.cs":7)
          %1 = add(%0, 1.0) : f32[2,3]  loc("Affine.cs":8)
          %2 = neg(%1) : f32[2,3]
          return %1, %2
        }
        """;

    private const string Shapes = """
        graph @shapes(%x: f32[4,3] input, %b: f32[3] param) -> (f32[2,6], i64[4], f32[]) {
          %0 = broadcast_in_dim(%b) {shape=[4,3], dims=[1]} : f32[4,3]   loc("Mlp.cs":14)
          %1 = add(%x, %0) : f32[4,3]                                    loc("Mlp.cs":14)
          %2 = reduce_max(%1) {axes=[1], keepdims=true} : f32[4,1]
          %3 = broadcast_in_dim(%2) {shape=[4,3], dims=[0,1]} : f32[4,3]
          %4 = sub(%1, %3) : f32[4,3]
          %5 = permute(%4) {perm=[1,0]} : f32[3,4]
          %6 = reshape(%5) {shape=[2,6]} : f32[2,6]
          %7 = argmax(%1) {axis=1, keepdims=false} : i64[4]
          %8 = constant() {value=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [1.0, 2.0, 3.0]]} : f32[4,3]
          %9 = mul(%8, %8) : f32[4,3]
          %10 = reduce_sum(%9) {axes=[0,1], keepdims=false} : f32[]
          return %6, %7, %10
        }
        """;

    private static string[] Lines(string dot) => dot.Split('\n');

    [Fact]
    public void InputsNodesOutputsAndEdgesAreDrawn()
    {
        var dot = DotWriter.Write(GirParser.Parse(Affine));
        Assert.StartsWith("digraph \"affine\" {\n", dot, StringComparison.Ordinal);
        Assert.EndsWith("}\n", dot, StringComparison.Ordinal);
        var lines = Lines(dot).Select(l => l.Trim()).ToArray();
        Assert.Contains("i0 [shape=ellipse, fillcolor=white, label=\"%x\\nf32[2,3]\\ninput\"];", lines);
        Assert.Contains("i1 [shape=ellipse, fillcolor=lightgrey, label=\"%s\\nf32[2,3]\\nparam\"];", lines);
        // op, operands (literals inline), result type, source line
        Assert.Contains("n0 [shape=box, fillcolor=lightblue, label=\"%0 = mul(%x, %s)\\nf32[2,3]\\nAffine.cs:7\"];", lines);
        Assert.Contains("n1 [shape=box, fillcolor=lightblue, label=\"%1 = add(%0, 1.0)\\nf32[2,3]\\nAffine.cs:8\"];", lines);
        Assert.Contains("n2 [shape=box, fillcolor=lightblue, label=\"%2 = neg(%1)\\nf32[2,3]\"];", lines);
        Assert.Contains("o0 [shape=ellipse, peripheries=2, label=\"y\\nf32[2,3]\\naliases %s\"];", lines);
        Assert.Contains("o1 [shape=ellipse, peripheries=2, label=\"out1\\nf32[2,3]\"];", lines);
        // operand indices label the edges of multi-operand ops only; a literal has no edge
        Assert.Contains("i0 -> n0 [label=\"0\"];", lines);
        Assert.Contains("i1 -> n0 [label=\"1\"];", lines);
        Assert.Contains("n0 -> n1 [label=\"0\"];", lines);
        Assert.Contains("n1 -> n2;", lines);
        Assert.Contains("n1 -> o0;", lines);
        Assert.Contains("n2 -> o1;", lines);
        Assert.Equal(6, lines.Count(l => l.Contains(" -> ", StringComparison.Ordinal)));
    }

    [Fact]
    public void AttributesAreShownAndLongValuesAbbreviated()
    {
        var dot = DotWriter.Write(GirParser.Parse(Shapes));
        Assert.Contains("label=\"%0 = broadcast_in_dim(%b)\\nshape=[4,3], dims=[1]\\nf32[4,3]\\nMlp.cs:14\"", dot, StringComparison.Ordinal);
        Assert.Contains("label=\"%2 = reduce_max(%1)\\naxes=[1], keepdims=true\\nf32[4,1]\"", dot, StringComparison.Ordinal);
        // a tensor literal is shown as its type, not its values
        Assert.Contains("label=\"%8 = constant()\\nvalue=<f32[4,3]>\\nf32[4,3]\"", dot, StringComparison.Ordinal);
        Assert.DoesNotContain("7.0", dot, StringComparison.Ordinal);
        // fill by trait
        Assert.Contains("n5 [shape=box, fillcolor=lightgrey", dot, StringComparison.Ordinal);
        Assert.Contains("n10 [shape=box, fillcolor=khaki", dot, StringComparison.Ordinal);
        Assert.Equal("[0,1,2,3,4,5,6,7,8,9,10,11,12...", DotWriter.Abbreviate(new IntListAttr(Enumerable.Range(0, 40).ToArray())));
    }

    [Fact]
    public void QuotesAndBackslashesAreEscaped()
    {
        Assert.Equal("\"a\\\"b\\\\c\\nd\"", DotWriter.Quote("a\"b\\c\nd"));
        var graph = GirParser.Parse("""
            graph @g(%x: f32[2] input) -> (f32[2]) {
              %0 = neg(%x) : f32[2]  loc("we\"ird\\dir.cs":3)
              return %0
            }
            """);
        var dot = DotWriter.Write(graph);
        Assert.Contains("\\nwe\\\"ird\\\\dir.cs:3\"", dot, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputIsDeterministicAndDependsOnlyOnTheGraph()
    {
        var graph = GirParser.Parse(Shapes);
        var reparsed = GirParser.Parse(graph.ToString());
        Assert.Equal(DotWriter.Write(graph), DotWriter.Write(reparsed));
        Assert.Equal(DotWriter.Write(graph), DotWriter.Write(graph));
    }

    [Fact]
    public void ClustersGroupNodesIntoSubgraphs()
    {
        var graph = GirParser.Parse(Shapes);
        var clusters = new[]
        {
            new DotCluster("kernel 0: softmax-ish", [graph.Nodes[4], graph.Nodes[2], graph.Nodes[3]]),
            new DotCluster("kernel \"1\"", [graph.Nodes[9], graph.Nodes[10]]),
        };
        var dot = DotWriter.Write(graph, clusters);
        var lines = Lines(dot);
        int start = Array.IndexOf(lines, "  subgraph cluster_0 {");
        Assert.True(start > 0, dot);
        Assert.Equal("    label=\"kernel 0: softmax-ish\";", lines[start + 1]);
        // in graph order inside the cluster
        Assert.StartsWith("    n2 [", lines[start + 3], StringComparison.Ordinal);
        Assert.StartsWith("    n3 [", lines[start + 4], StringComparison.Ordinal);
        Assert.StartsWith("    n4 [", lines[start + 5], StringComparison.Ordinal);
        Assert.Equal("  }", lines[start + 6]);
        Assert.Contains("  subgraph cluster_1 {\n    label=\"kernel \\\"1\\\"\";", dot, StringComparison.Ordinal);
        // every node is drawn exactly once
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            Assert.Single(lines, l => l.TrimStart().StartsWith($"n{i} [", StringComparison.Ordinal));
        }
        Assert.Throws<ArgumentException>(() => DotWriter.Write(graph, [new DotCluster("a", [graph.Nodes[0]]), new DotCluster("b", [graph.Nodes[0]])]));
        var other = GirParser.Parse(Affine);
        Assert.Throws<ArgumentException>(() => DotWriter.Write(graph, [new DotCluster("a", [other.Nodes[0]])]));
    }

    [SkippableFact]
    public void GraphvizAcceptsTheDot()
    {
        var dotExecutable = Graphviz.Find();
        Skip.If(dotExecutable is null, "Graphviz's dot is not on PATH");
        var shapes = GirParser.Parse(Shapes);
        var escaped = GirParser.Parse("""
            graph @g(%x: f32[2] input) -> (f32[2]) {
              %0 = neg(%x) : f32[2]  loc("we\"ird\\dir.cs":3)
              return %0
            }
            """);
        var traced = Trace.Function("mlp", (x, w1, b1) => F.LogSoftmax(F.Relu(x.MatMul(w1) + b1), axis: 1),
            TensorSpec.Input(DType.F32, 4, 8), TensorSpec.Param(DType.F32, 8, 5), TensorSpec.Param(DType.F32, 5));
        foreach (var text in new[]
        {
            DotWriter.Write(shapes, [new DotCluster("kernel 0", [shapes.Nodes[2], shapes.Nodes[3]])]),
            DotWriter.Write(escaped),
            DotWriter.Write(traced),
            DotWriter.Write([shapes, traced]),
        })
        {
            var start = new ProcessStartInfo(dotExecutable!, ["-Tsvg"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(text);
            process.StandardInput.Close();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"dot -Tsvg failed: {error.Result}\n{text}");
            Assert.Contains("<svg", output.Result, StringComparison.Ordinal);
            Assert.Equal("", error.Result.Trim());
        }
    }
}
