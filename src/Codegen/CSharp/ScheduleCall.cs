namespace GraphDL.Codegen.CSharp;

/// <summary>
/// One line of a program's generated <c>Run</c> method, in schedule order: a generated kernel called directly with its
/// argument slots, a step the runtime runs when called back, or a step with no code (a comment only).
/// </summary>
public abstract record ScheduleCall(string Comment)
{
    /// <summary>Calls kernel <paramref name="Method"/> with the argument addresses at <c>slots + FirstSlot</c>.</summary>
    public sealed record Kernel(string Method, int FirstSlot, string Comment) : ScheduleCall(Comment);

    /// <summary>Calls back into the runtime to run step <paramref name="Step"/> (a GEMM, a hand-written kernel, ...).</summary>
    public sealed record Host(int Step, string Comment) : ScheduleCall(Comment);

    /// <summary>A step that runs no code when the program runs (such as a reshape naming its operand's buffer).</summary>
    public sealed record Note(string Comment) : ScheduleCall(Comment);
}
