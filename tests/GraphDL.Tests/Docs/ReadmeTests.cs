using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using GraphDL.Cli;
using GraphDL.Tests.Architecture;

namespace GraphDL.Tests.Docs;

/// <summary>
/// The README as a newcomer reads it in a fresh clone: no link leaves the repository, every file its commands read is
/// there, everything they write lands in a folder git ignores, the cheap <c>graphdl</c> commands run as written, and
/// the <c>./graphdl</c> script it tells them to use runs the CLI.
/// </summary>
public sealed partial class ReadmeTests
{
    private static readonly string Root = LayeringTests.RepoRoot();

    public static TheoryData<string> Documents => new() { "README.md", "bench/README.md" };

    [Theory]
    [MemberData(nameof(Documents))]
    public void NoLinkLeavesTheRepository(string document)
    {
        var path = Path.Combine(Root, document);
        var text = File.ReadAllText(path);
        var problems = new List<string>();
        foreach (Match match in WebAddress().Matches(text))
        {
            problems.Add($"line {LineOf(text, match.Index)}: a web address ({match.Value}): name the thing, or link a file in the repository");
        }
        var anchors = Headings().Matches(text).Select(m => Slug(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        foreach (Match match in LinkTarget().Matches(text))
        {
            var target = match.Groups["target"].Value;
            if (target.StartsWith('#'))
            {
                if (!anchors.Contains(target[1..]))
                {
                    problems.Add($"line {LineOf(text, match.Index)}: no heading of {document} has the anchor {target}");
                }
                continue;
            }
            var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(target.Split('#')[0])));
            if (!file.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                problems.Add($"line {LineOf(text, match.Index)}: {target} is outside the repository");
            }
            else if (!File.Exists(file) && !Directory.Exists(file))
            {
                problems.Add($"line {LineOf(text, match.Index)}: {target} does not exist");
            }
        }
        Assert.True(problems.Count == 0, $"{document}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void CommandsReadFilesThatExistAndWriteWhereGitIgnores()
    {
        var ignored = IgnorePatterns();
        var problems = new List<string>();
        foreach (var (line, tokens, _) in ShellCommands())
        {
            for (int i = 0; i < tokens.Length; i++)
            {
                var token = tokens[i];
                bool isOutput = i > 0 && tokens[i - 1] is "-o" or "--output" or "--dump-dir" or "--out" or "--svg" or ">";
                if (isOutput)
                {
                    if (!ignored.Any(p => Matches(p, token)))
                    {
                        problems.Add($"line {line}: {token} is written by the command but not ignored by .gitignore");
                    }
                }
                else if ((token.EndsWith(".gir", StringComparison.Ordinal) || token.EndsWith(".csx", StringComparison.Ordinal)
                          || token.EndsWith(".sln", StringComparison.Ordinal) || (i > 0 && tokens[i - 1] == "--project"))
                         && !File.Exists(Path.Combine(Root, token)) && !Directory.Exists(Path.Combine(Root, token)))
                {
                    problems.Add($"line {line}: {token} does not exist in the repository");
                }
            }
        }
        // What the CLI writes by default where the README's commands leave the place out.
        foreach (var output in new[] { "fuzz-failures/seed1-graph0.gir", "mlp32.remat.svg" })
        {
            if (!ignored.Any(p => Matches(p, output)))
            {
                problems.Add($"{output} (a default of graphdl fuzz / bench --remat-sweep) is not ignored by .gitignore");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>
    /// Every <c>graphdl check|print|run|opt</c> line of the README, run from the repository root as written; a
    /// quoted result in its comment (<c>"model.gir: ok (1 graph, 21 nodes)"</c>) is what it prints. The compiling
    /// commands take seconds each and are covered by the CLI tests.
    /// </summary>
    [Fact]
    public void CheapGraphdlCommandsRunAsWritten()
    {
        int ran = 0;
        foreach (var (line, tokens, comment) in ShellCommands())
        {
            if (tokens is not ["graphdl", "check" or "print" or "run" or "opt", ..])
            {
                continue;
            }
            var args = tokens[1..].Select(t => File.Exists(Path.Combine(Root, t)) ? Path.Combine(Root, t) : t).ToArray();
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = CliApp.Run(args, stdout, stderr);
            Assert.True(code == 0, $"README line {line}: {string.Join(' ', tokens)} exited {code}: {stderr}");
            if (QuotedResult().Match(comment) is { Success: true } quoted)
            {
                Assert.Equal(quoted.Groups[1].Value, stdout.ToString().Replace("\r", "").TrimEnd('\n'));
            }
            ran++;
        }
        Assert.True(ran >= 5, $"only {ran} graphdl check/print/run/opt commands found in the README");
    }

    /// <summary>The <c>graphdl</c> script at the root, run as the README says: executable, and it starts the CLI.</summary>
    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public void GraphdlScriptRunsTheCli()
    {
        Skip.If(OperatingSystem.IsWindows(), "./graphdl is a bash script; on Windows the README gives dotnet run instead");
        var script = Path.Combine(Root, "graphdl");
        Assert.True(File.Exists(script), "the README's CLI section uses ./graphdl, which is missing");
        Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, "./graphdl is not executable (git update-index --chmod=+x graphdl)");

        var start = new ProcessStartInfo(script, ["--help"])
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The script calls dotnet by name: give it this test's host when that is not on PATH.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host)
        {
            start.Environment["PATH"] = Path.GetDirectoryName(host) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        // It builds src/Cli first where the Release build is missing or older than a source (not so after a build).
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "./graphdl --help did not finish in 5 minutes");
        Assert.True(process.ExitCode == 0, $"./graphdl --help exited {process.ExitCode}: {stderr.Result}");
        Assert.Contains("graphdl [command] [options]", stdout, StringComparison.Ordinal);
        Assert.Contains("compile <file>", stdout, StringComparison.Ordinal);
    }

    /// <summary>The commands of README.md's <c>```sh</c> blocks: each split into words, and its trailing comment.</summary>
    private static IEnumerable<(int Line, string[] Tokens, string Comment)> ShellCommands()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md"));
        bool inShell = false;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inShell = !inShell && line.Trim() == "```sh";
                continue;
            }
            if (!inShell || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var comment = ShellComment().Match(line);
            var command = comment.Success ? line[..comment.Index] : line;
            var tokens = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim('\'', '"')).ToArray();
            if (tokens.Length > 0)
            {
                yield return (i + 1, tokens, comment.Success ? comment.Value : "");
            }
        }
    }

    private static string[] IgnorePatterns() =>
        File.ReadAllLines(Path.Combine(Root, ".gitignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    /// <summary>The two forms of .gitignore line used here: a folder (<c>dumps/</c>) and a suffix (<c>*.remat.svg</c>).</summary>
    private static bool Matches(string pattern, string path)
    {
        path = path.Replace('\\', '/');
        if (pattern.StartsWith('*') && !pattern.Contains('/'))
        {
            return path.EndsWith(pattern[1..], StringComparison.Ordinal);
        }
        if (pattern.EndsWith('/'))
        {
            var folder = pattern.TrimStart('/');
            return path.StartsWith(folder, StringComparison.Ordinal)
                || (!pattern.StartsWith('/') && path.Contains("/" + folder, StringComparison.Ordinal))
                || path + "/" == folder;
        }
        return path == pattern.TrimStart('/');
    }

    /// <summary>GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string Slug(string heading) =>
        new string(heading.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"\b(?:https?|ftp)://[^\s)>`""]*", RegexOptions.IgnoreCase)]
    private static partial Regex WebAddress();

    /// <summary>Inline links <c>[text](target)</c>, reference definitions <c>[x]: target</c>, and HTML href/src.</summary>
    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)|^\s*\[[^\]]+\]:\s*(?<target>\S+)|(?:href|src)=""(?<target>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"^#{1,6}\s+(.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Headings();

    /// <summary>A shell comment after a command: whitespace, then <c>#</c>.</summary>
    [GeneratedRegex(@"\s+#.*$")]
    private static partial Regex ShellComment();

    /// <summary>A quoted result at the end of a comment: <c># parse + verify: "model.gir: ok (...)"</c>.</summary>
    [GeneratedRegex(@":\s*""([^""]+)""\s*$")]
    private static partial Regex QuotedResult();
}
