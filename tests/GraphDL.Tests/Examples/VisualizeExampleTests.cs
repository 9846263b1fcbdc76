using System.Xml.Linq;
using GraphDL.Examples.Visualize;
using GraphDL.IR;
using GraphDL.Passes.Visualization;

namespace GraphDL.Tests.Examples;

/// <summary>examples/Visualize: a small model's graphs drawn with their fused kernels as clusters, by dot and without it.</summary>
public sealed class VisualizeExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphdl-visualize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Graph Mlp() => Trace.Function("mlp", (x, w, b) => F.Relu(x.MatMul(w) + b).Exp().Sum(),
        TensorSpec.Input(DType.F32, 2, 4), TensorSpec.Param(DType.F32, 4, 3), TensorSpec.Param(DType.F32, 3));

    [Fact]
    public void WithoutGraphvizTheBuiltInLayoutDrawsEveryNodeAndEachKernel()
    {
        var graph = Mlp();
        var picture = new GraphPictures(Backend.Cpu, _dir, dot: null).Draw("mlp", graph);
        Assert.Equal(["mlp.dot", "mlp.svg"], picture.Files.Select(Path.GetFileName));
        var plan = Backend.Cpu.PlanFusion(graph)!;
        Assert.Equal(plan.Kernels.Count, picture.Kernels);
        Assert.True(picture.FusedKernels >= 1, plan.Format());

        var svg = XDocument.Load(Path.Combine(_dir, "mlp.svg"));
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            Assert.Contains($"%{i} = {graph.Nodes[i].Op.Name}", texts);
        }
        Assert.Contains(texts, t => t.StartsWith("kernel k", StringComparison.Ordinal));
        Assert.Contains("subgraph cluster_0", File.ReadAllText(Path.Combine(_dir, "mlp.dot")));
    }

    [SkippableFact]
    public void GraphvizDrawsSvgAndPng()
    {
        var dot = Graphviz.Find();
        Skip.If(dot is null, "Graphviz's dot is not on PATH (Debian: apt-get install graphviz)");
        var picture = new GraphPictures(Backend.Cpu, _dir, dot).Draw("mlp", Mlp());
        Assert.Equal(["mlp.dot", "mlp.svg", "mlp.png"], picture.Files.Select(Path.GetFileName));
        Assert.Contains("kernel k", File.ReadAllText(Path.Combine(_dir, "mlp.svg")));
        Assert.Equal((byte)'P', File.ReadAllBytes(Path.Combine(_dir, "mlp.png"))[1]);
    }

    [Fact]
    public void ANodeRecomputedInSeveralKernelsIsDrawnOnce()
    {
        // exp(x) read by two reductions: the planner may recompute it in both kernels; the picture places it once.
        var graph = Trace.Function("two", x => { var e = x.Exp(); return e.Sum() + e.Max(); }, TensorSpec.Input(DType.F32, 8, 8));
        var clusters = KernelClusters.Of(Backend.Cpu.PlanFusion(graph)!);
        var drawn = clusters.SelectMany(c => c.Nodes).ToList();
        Assert.Equal(drawn.Count, drawn.Distinct(ReferenceEqualityComparer.Instance).Count());
    }
}
