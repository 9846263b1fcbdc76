using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// Where one intermediate value lives in the arena: <see cref="Size"/> bytes at <see cref="Offset"/>, live from the
/// step that writes it (<see cref="Def"/>) through its last reader (<see cref="LastUse"/>), both step indices.
/// <see cref="InPlaceOf"/> names the input whose buffer it took over at its own step.
/// </summary>
public sealed record PlannedBuffer(Node Value, long Offset, long Size, int Def, int LastUse, Node? InPlaceOf = null)
{
    public long End => Offset + Size;

    /// <summary>Bytes it occupies in the arena: every buffer starts on a <see cref="MemoryPlan.Alignment"/> boundary.</summary>
    public long AlignedSize => MemoryPlan.AlignUp(Size);

    public bool LiveAt(int step) => Def <= step && step <= LastUse;

    /// <summary>Whether its bytes count at <paramref name="step"/>: written in place, it occupies its input's bytes at its own step.</summary>
    public bool OccupiesAt(int step) => (InPlaceOf is null ? Def : Def + 1) <= step && step <= LastUse;

    public bool LiveDuring(PlannedBuffer other) => Overlap(Def, LastUse, other.Def, other.LastUse);

    /// <summary>Whether two lifetimes, each from its defining step to its last use (inclusive), share a step.</summary>
    public static bool Overlap(int def, int lastUse, int otherDef, int otherLastUse) => def <= otherLastUse && otherDef <= lastUse;

    public bool SharesBytesWith(PlannedBuffer other) => Offset < other.End && other.Offset < End;
}
