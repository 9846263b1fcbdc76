using System.Diagnostics;

namespace GraphDL.Passes.Visualization;

/// <summary>
/// Renders DOT text (<see cref="DotWriter"/>) with Graphviz's <c>dot</c> (Debian package <c>graphviz</c>), when it is on
/// PATH: for <c>graphdl compile --emit svg|png</c> and the Visualize example.
/// </summary>
public static class Graphviz
{
    /// <summary>What to tell a user whose PATH has no <c>dot</c>.</summary>
    public const string Missing = "Graphviz's 'dot' is not on PATH; install it (Debian: apt-get install graphviz) or use --emit dot and render elsewhere";

    /// <summary>The full path of <c>dot</c> in the directories of <paramref name="pathVariable"/> (default: PATH), or null.</summary>
    public static string? Find(string? pathVariable = null)
    {
        var path = pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { "dot.exe" } : ["dot"];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>Runs <c>dot -T<paramref name="format"/></c> on <paramref name="dotText"/>; returns the rendered bytes.</summary>
    /// <exception cref="InvalidOperationException"><c>dot</c> failed (its standard error is in the message).</exception>
    public static byte[] Render(string dotExecutable, string dotText, string format)
    {
        var start = new ProcessStartInfo(dotExecutable, ["-T" + format])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dotExecutable}");
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(dotText);
        process.StandardInput.Close();
        copy.GetAwaiter().GetResult();
        var errors = error.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dot -T{format} failed (exit {process.ExitCode}): {errors.Trim()}");
        }
        return output.ToArray();
    }
}
