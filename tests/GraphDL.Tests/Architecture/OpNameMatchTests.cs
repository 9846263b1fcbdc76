using System.Text.RegularExpressions;

namespace GraphDL.Tests.Architecture;

/// <summary>
/// Passes and renderers match ops by traits and take per-op code from the op's own file, never by comparing an op's
/// name, so adding an op edits no pass (DESIGN.md, STYLE.md). Checked over the directories already free of such
/// matches; a directory joins the list when its last name match is gone.
/// </summary>
public class OpNameMatchTests
{
    private static readonly string[] Directories = ["src/Codegen/CSharp", "src/Codegen/Kernels", "src/Passes/Simplify"];

    /// <summary>
    /// <c>Op.Name == "add"</c>, <c>Op.Name is "reshape" or ...</c>, <c>Op.Name switch</c>, <c>switch (node.Op.Name)</c>,
    /// <c>{ Op.Name: "matmul" }</c>, <c>Op: { Name: ... }</c>.
    /// </summary>
    private static readonly Regex NameMatch = new(
        @"Op\.Name\s*(==|!=|is\b|switch\b)|switch\s*\([^)]*Op\.Name\s*\)|\{\s*Op\.Name\s*:|Op:\s*\{\s*Name\s*:", RegexOptions.Compiled);

    [Fact]
    public void RenderersAndSimplifyMatchNoOpByName()
    {
        var root = LayeringTests.RepoRoot();
        var matches = new List<string>();
        int files = 0;
        foreach (var directory in Directories)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(root, directory), "*.cs", SearchOption.AllDirectories))
            {
                files++;
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    if (NameMatch.IsMatch(lines[i]))
                    {
                        matches.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {lines[i].Trim()}");
                    }
                }
            }
        }
        Assert.True(files > 20, $"only {files} files under {string.Join(", ", Directories)}");
        Assert.True(matches.Count == 0, "match a trait (src/IR/Ops/OpTraits.cs) or the op's own snippets instead:\n" + string.Join("\n", matches));
    }
}
