using System.Text;

namespace GraphDL.Codegen.CSharp;

/// <summary>
/// Renders a program's whole schedule as one C# method beside its kernels, so a run is one call into generated code:
/// <c>Run(nint* slots, nint context, delegate*&lt;nint, int, void&gt; host)</c>. <c>slots</c> holds every kernel's
/// argument addresses back to back; <c>host(context, i)</c> runs step <c>i</c> of the runtime's program.
/// </summary>
public static class ScheduleRenderer
{
    /// <summary>The name of the generated method.</summary>
    public const string MethodName = "Run";

    public static string Render(string programName, IReadOnlyList<ScheduleCall> calls)
    {
        var text = new StringBuilder();
        text.Append("    // Run: the schedule of @").Append(programName).Append(", one line per step. A kernel is called directly with its\n");
        text.Append("    // argument addresses (its inputs' buffers, then its output's) at slots + n; every other step is run by the\n");
        text.Append("    // runtime: host(context, step).\n");
        text.Append($"    public static unsafe void {MethodName}(nint* slots, nint context, delegate*<nint, int, void> host)\n    {{\n");
        foreach (var call in calls)
        {
            text.Append("        ").Append(call switch
            {
                ScheduleCall.Kernel k => $"{k.Method}(slots + {k.FirstSlot});  // ",
                ScheduleCall.Host h => $"host(context, {h.Step});  // ",
                _ => "// (no code) ",
            }).Append(call.Comment.ReplaceLineEndings(" ")).Append('\n');
        }
        text.Append("    }\n");
        return text.ToString();
    }
}
