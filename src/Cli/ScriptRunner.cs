using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace GraphDL.Cli;

/// <summary>A model script failed to compile or to run; the message is ready to print (<c>model.csx:LINE:COL: error: ...</c>).</summary>
internal sealed class ScriptFailedException(string message) : Exception(message);

/// <summary>
/// Runs a model script (<c>MODEL.csx</c>, C# script via Roslyn) whose last expression is a <see cref="Graph"/> or
/// something with a public <c>Graph</c> property (a <c>TrainStep&lt;T&gt;</c>, an <c>InferenceFunction</c>).
/// <list type="bullet">
/// <item>References: the GraphDL assemblies (IR, Passes, Runtime, Frontend); imports: <c>System</c>, <c>System.Linq</c>,
/// <c>System.Collections.Generic</c>, <c>GraphDL</c>, <c>GraphDL.IR</c>.</item>
/// <item>The script is compiled with its own path as file path and with debug information, so caller info
/// (<c>[CallerFilePath]</c>) and stack frames (operators) both name the script: node locations read
/// <c>loc("model.csx":LINE)</c>, and a shape error reads <c>model.csx:LINE: error: ...</c>.</item>
/// <item>Deterministic: the initializer stream is reseeded (<c>Init.ManualSeed(0)</c>, as in a fresh process) before
/// the script runs; the graph depends only on the script.</item>
/// <item>Compilations the script makes (<c>Compiler.TrainStep</c>) use the CLI's instrumentation as ambient options
/// (see <see cref="PassOptions.Use"/>), so their passes are printed and dumped like the CLI's own.</item>
/// </list>
/// </summary>
internal static class ScriptRunner
{
    public static readonly IReadOnlyList<string> Imports = ["System", "System.Linq", "System.Collections.Generic", "GraphDL", "GraphDL.IR"];

    /// <summary>
    /// Compiles and runs the script at <paramref name="path"/>; returns the graph its last expression gives, and
    /// whether that came from a compilation (a training step's <c>Graph</c>) rather than being a bare graph.
    /// </summary>
    /// <param name="path">The script file.</param>
    /// <param name="code">Its text.</param>
    /// <param name="ambient">Instrumentation for compilations made by the script.</param>
    /// <param name="stderr">Where compiler warnings go.</param>
    /// <exception cref="ScriptFailedException">It does not compile, throws, or gives no graph.</exception>
    public static (Graph Graph, bool Compiled) Run(string path, string code, PassOptions ambient, TextWriter stderr)
    {
        var fullPath = Path.GetFullPath(path);
        var name = Path.GetFileName(path);
        var options = ScriptOptions.Default
            .WithFilePath(fullPath)
            .WithFileEncoding(Encoding.UTF8)
            .WithEmitDebugInformation(true)
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .AddReferences(typeof(Graph).Assembly, typeof(PassManager).Assembly, typeof(ReferenceInterpreter).Assembly, typeof(Trace).Assembly)
            .AddImports(Imports);
        var script = CSharpScript.Create<object?>(code, options);
        var diagnostics = script.Compile();
        foreach (var warning in diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning))
        {
            stderr.WriteLine(Format(warning, "warning", fullPath, name, code));
        }
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new ScriptFailedException(string.Join("\n", errors.Take(20).Select(e => Format(e, "error", fullPath, name, code))));
        }

        object? value;
        Init.ManualSeed(0);
        using (PassOptions.Use(ambient))
        {
            try
            {
                value = script.RunAsync().GetAwaiter().GetResult().ReturnValue;
            }
            catch (Exception e) when (e is not OutOfMemoryException and not StackOverflowException)
            {
                throw new ScriptFailedException(RuntimeError(Unwrap(e), fullPath, name));
            }
        }
        try
        {
            return value switch
            {
                Graph graph => (graph, false),
                null => throw new ScriptFailedException($"{name}: error: the script gives no value; end it with an expression (no semicolon) such as Trace.Function(...) or Compiler.TrainStep(...)"),
                _ => (GraphOf(value) ?? throw new ScriptFailedException(
                    $"{name}: error: the script's last expression is a {value.GetType().Name}; it must be a Graph or have a Graph property (a training step)"), true),
            };
        }
        finally
        {
            (value as IDisposable)?.Dispose();
        }
    }

    /// <summary>The <c>Graph</c> property of a training step or inference function, found by reflection.</summary>
    private static Graph? GraphOf(object value) =>
        value.GetType().GetProperty("Graph", BindingFlags.Public | BindingFlags.Instance) is { } property && typeof(Graph).IsAssignableFrom(property.PropertyType)
            ? property.GetValue(value) as Graph
            : null;

    /// <summary><c>model.csx:LINE:COL: error: CS0103: message</c>, then the line and a caret.</summary>
    private static string Format(Diagnostic diagnostic, string severity, string fullPath, string name, string code)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var message = $"{diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
        if (!span.IsValid)
        {
            return $"{name}: {severity}: {message}";
        }
        int line = span.StartLinePosition.Line + 1, column = span.StartLinePosition.Character + 1;
        bool inScript = string.IsNullOrEmpty(span.Path) || span.Path == fullPath;
        var text = new StringBuilder($"{(inScript ? name : Path.GetFileName(span.Path))}:{line}:{column}: {severity}: {message}");
        var lines = code.Split('\n');
        if (inScript && line <= lines.Length)
        {
            var source = lines[line - 1].TrimEnd('\r').Replace('\t', ' ');
            text.Append("\n  ").Append(source);
            text.Append("\n  ").Append(' ', Math.Clamp(column - 1, 0, source.Length)).Append('^');
        }
        return text.ToString();
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner } || e is AggregateException { InnerExceptions.Count: 1, InnerException: { } _ })
        {
            e = e.InnerException!;
        }
        return e;
    }

    /// <summary>
    /// An exception from the script. GraphDL's messages already name the user's line when the DSL saw it
    /// (<c>model.csx:7: error: add: shapes ...</c>); others are given the script line the exception passed through.
    /// </summary>
    private static string RuntimeError(Exception e, string fullPath, string name)
    {
        if (e.Message.StartsWith(name + ":", StringComparison.Ordinal))
        {
            return e.Message;
        }
        var frame = new StackTrace(e, true).GetFrames().FirstOrDefault(f => f.GetFileName() == fullPath);
        var where = frame is null ? name : $"{name}:{frame.GetFileLineNumber()}";
        var message = e is GraphDLException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        if (message.StartsWith("error: ", StringComparison.Ordinal))
        {
            message = message["error: ".Length..];
        }
        return $"{where}: error: {message}";
    }
}
