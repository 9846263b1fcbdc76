using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Finds the user's source line for DSL calls that cannot take caller info (operators, <c>params</c> methods): the
/// first stack frame outside GraphDL's own assemblies. Walking frames without file info is cheap; the file and line
/// of each (method, IL offset) are read from the PDB once and cached.
/// </summary>
internal static class SourceLocator
{
    private static readonly HashSet<Assembly> Library =
    [
        typeof(SourceLocator).Assembly,
        typeof(Graph).Assembly,
        typeof(Runtime.IBackend).Assembly,
    ];

    private static readonly ConcurrentDictionary<(RuntimeMethodHandle, int), SourceLoc> Cache = new();

    public static SourceLoc UserFrame()
    {
        var frames = new StackTrace(1, false).GetFrames();
        for (int i = 0; i < frames.Length; i++)
        {
            var method = frames[i].GetMethod();
            if (method is null || Library.Contains(method.Module.Assembly) || IsFramework(method.Module.Assembly))
            {
                continue;
            }
            var key = (method.MethodHandle, frames[i].GetILOffset());
            return Cache.GetOrAdd(key, _ => Resolve());
        }
        return SourceLoc.Unknown;
    }

    private static bool IsFramework(Assembly assembly) =>
        assembly.GetName().Name is { } name && (name.StartsWith("System.", StringComparison.Ordinal) || name == "mscorlib" || name == "netstandard");

    /// <summary>The same search with file info (a PDB read); only on a cache miss. Frames in between are ours or the framework's.</summary>
    private static SourceLoc Resolve()
    {
        foreach (var frame in new StackTrace(1, true).GetFrames())
        {
            var method = frame.GetMethod();
            if (method is null || Library.Contains(method.Module.Assembly) || IsFramework(method.Module.Assembly))
            {
                continue;
            }
            return frame.GetFileName() is { } file ? new SourceLoc(Path.GetFileName(file), frame.GetFileLineNumber()) : SourceLoc.Unknown;
        }
        return SourceLoc.Unknown;
    }
}
