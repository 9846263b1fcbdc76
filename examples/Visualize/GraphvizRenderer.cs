using System.Diagnostics;

namespace GraphDL.Examples.Visualize;

/// <summary>Renders DOT text with Graphviz's <c>dot</c> (Debian package <c>graphviz</c>) when it is on PATH.</summary>
public static class GraphvizRenderer
{
    /// <summary>The full path of <c>dot</c> on PATH, or null.</summary>
    public static string? Find()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "dot.exe" } : ["dot"];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
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

    /// <summary>Runs <c>dot -T<paramref name="format"/></c> on <paramref name="dotText"/> and returns what it drew.</summary>
    /// <exception cref="InvalidOperationException">dot failed (its error output is in the message).</exception>
    public static byte[] Render(string dot, string dotText, string format)
    {
        var start = new ProcessStartInfo(dot, ["-T" + format])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dot}");
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(dotText);
        process.StandardInput.Close();
        copy.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dot -T{format} failed (exit {process.ExitCode}): {errors.Result.Trim()}");
        }
        return output.ToArray();
    }
}
