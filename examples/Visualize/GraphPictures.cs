using GraphDL.IR;
using GraphDL.Passes.Visualization;
using GraphDL.Runtime;

namespace GraphDL.Examples.Visualize;

/// <summary>What one picture shows: the graph, its kernels, and the files written.</summary>
public sealed record Picture(string Name, int Nodes, int Kernels, int FusedKernels, IReadOnlyList<string> Files);

/// <summary>
/// Draws graphs torchviz-style, with the backend's fused kernels as clusters (<see cref="IBackend.PlanFusion"/>, the
/// plan <c>graphdl compile --emit fusion</c> prints): the DOT text always, then SVG and PNG by Graphviz's
/// <c>dot</c> when it is on PATH, else SVG by <see cref="LayeredSvg"/>.
/// </summary>
public sealed class GraphPictures(IBackend backend, string directory, string? dot)
{
    /// <summary>Which renderer drew the SVGs.</summary>
    public string Renderer => dot is null ? "built-in layered layout (Graphviz dot not found)" : "graphviz dot";

    public Picture Draw(string name, Graph graph)
    {
        Directory.CreateDirectory(directory);
        var plan = backend.PlanFusion(graph);
        var clusters = plan is null ? [] : KernelClusters.Of(plan);
        var dotText = DotWriter.Write(graph, clusters);
        var files = new List<string> { Save(name + ".dot", System.Text.Encoding.UTF8.GetBytes(dotText)) };
        if (dot is not null)
        {
            files.Add(Save(name + ".svg", Graphviz.Render(dot, dotText, "svg")));
            files.Add(Save(name + ".png", Graphviz.Render(dot, dotText, "png")));
        }
        else
        {
            files.Add(Save(name + ".svg", System.Text.Encoding.UTF8.GetBytes(LayeredSvg.Write(graph, clusters))));
        }
        return new Picture(name, graph.Nodes.Count, plan?.Kernels.Count ?? graph.Nodes.Count, clusters.Count, files);
    }

    private string Save(string file, byte[] bytes)
    {
        var path = Path.Combine(directory, file);
        AtomicFile.Write(path, bytes);
        return path;
    }
}
