using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// One step of a schedule as the memory planner sees it: the value it leaves in a buffer and the values it reads.
/// Graph inputs, literals, graph outputs and persistent values among <see cref="Reads"/> live outside the arena.
/// </summary>
public sealed record MemoryStep(Node Produces, IReadOnlyList<Value> Reads)
{
    /// <summary>The value whose buffer this step's result names (a reshape that copies nothing); null when it has a buffer of its own.</summary>
    public Value? AliasOf { get; init; }

    /// <summary>Computed once and kept for the program's lifetime (a hoisted constant): it has a buffer of its own, outside the arena.</summary>
    public bool Persistent { get; init; }

    /// <summary>
    /// Reads every input at the index it writes (only elementwise ops, no movement), so its result may take over the
    /// buffer of an input of the same size that dies at this step.
    /// </summary>
    public bool Elementwise { get; init; }
}
