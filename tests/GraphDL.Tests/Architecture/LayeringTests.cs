using System.Xml.Linq;

namespace GraphDL.Tests.Architecture;

/// <summary>
/// The layering rule of DESIGN.md, read from the project files: IR ← Passes ← Codegen ← Runtime ← Frontend ← Training
/// ← (Cli, examples). Training (progress display, curves) sits on the Frontend so the compiler needs no console or
/// drawing library; the CLI and the examples may use it.
/// </summary>
public class LayeringTests
{
    private static readonly string[] Layers = ["IR", "Passes", "Codegen", "Runtime", "Frontend", "Training", "Cli"];

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GraphDL.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("GraphDL.sln not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> References(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, r.Attribute("Include")!.Value)));

    private static int LayerOf(string project, string root)
    {
        var relative = Path.GetRelativePath(root, project).Replace('\\', '/');
        for (int i = 0; i < Layers.Length; i++)
        {
            if (relative.StartsWith($"src/{Layers[i]}/", StringComparison.Ordinal))
            {
                return i;
            }
        }
        return relative.StartsWith("examples/", StringComparison.Ordinal) ? Layers.Length - 1 : -1;
    }

    [Fact]
    public void ProjectsOnlyReferenceLowerLayers()
    {
        var root = RepoRoot();
        var projects = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(root, "examples"), "*.csproj", SearchOption.AllDirectories)).ToArray();
        Assert.True(projects.Length >= 8, $"expected the seven src projects and an example, found {projects.Length}");
        var violations = new List<string>();
        foreach (var project in projects)
        {
            int layer = LayerOf(project, root);
            foreach (var reference in References(project))
            {
                int target = LayerOf(reference, root);
                // Cli and examples sit side by side at the top: neither may reference the other.
                bool allowed = target >= 0 && target < layer;
                if (!allowed)
                {
                    violations.Add($"{Path.GetRelativePath(root, project)} -> {Path.GetRelativePath(root, reference)}");
                }
            }
        }
        Assert.True(violations.Count == 0, "upward or sideways references:\n" + string.Join("\n", violations));
    }

    /// <summary>Each compiler layer builds on the one below; Training and the CLI both build on the Frontend.</summary>
    [Theory]
    [InlineData("Passes", "IR")]
    [InlineData("Codegen", "Passes")]
    [InlineData("Runtime", "Codegen")]
    [InlineData("Frontend", "Runtime")]
    [InlineData("Training", "Frontend")]
    [InlineData("Cli", "Frontend")]
    public void EachLayerReferencesTheOneItBuildsOn(string layer, string below)
    {
        var root = RepoRoot();
        var project = Directory.GetFiles(Path.Combine(root, "src", layer), "*.csproj").Single();
        var belowProject = Directory.GetFiles(Path.Combine(root, "src", below), "*.csproj").Single();
        Assert.Contains(Path.GetFullPath(belowProject), References(project));
    }
}
