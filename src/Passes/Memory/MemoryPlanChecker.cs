using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// Proves a <see cref="MemoryPlan"/> safe against its schedule, as XLA's heap simulator verifier does: lifetimes are
/// derived anew from the steps (<see cref="Liveness"/>), not taken from the plan; every arena value has exactly one
/// buffer of its size covering its lifetime, inside the arena and on a 64-byte boundary; and no two buffers live at
/// the same step share a byte, except an elementwise step's result written in place of the input that dies there;
/// and an output written into the input it updates (<see cref="Donation"/>) comes at or after the input's last read.
/// </summary>
public static class MemoryPlanChecker
{
    /// <summary>Throws <see cref="MemoryPlanException"/> naming the first broken rule and the buffers involved.</summary>
    public static void Check(MemoryPlan plan)
    {
        var liveness = new Liveness(plan.Graph, plan.Steps);
        var byValue = new Dictionary<Node, PlannedBuffer>(ReferenceEqualityComparer.Instance);
        foreach (var buffer in plan.Buffers)
        {
            // Described only when a rule is broken: the description prints the node's source location.
            var name = new Lazy<string>(() => Describe(plan, buffer));
            if (!byValue.TryAdd(buffer.Value, buffer))
            {
                throw new MemoryPlanException($"{name.Value} has two buffers");
            }
            if (!liveness.Intervals.TryGetValue(buffer.Value, out var interval))
            {
                throw new MemoryPlanException($"{name.Value} is not an intermediate of the schedule (an input, output, persistent or aliased value) but has an arena buffer");
            }
            if (buffer.Def > interval.Def || buffer.LastUse < interval.LastUse)
            {
                throw new MemoryPlanException($"{name.Value} is live over steps {interval.Def}..{interval.LastUse} but its buffer only over {buffer.Def}..{buffer.LastUse}");
            }
            if (buffer.Size != buffer.Value.Type.SizeInBytes)
            {
                throw new MemoryPlanException($"{name.Value} needs {buffer.Value.Type.SizeInBytes} bytes but its buffer has {buffer.Size}");
            }
            if (buffer.Offset < 0 || buffer.End > plan.ArenaBytes)
            {
                throw new MemoryPlanException($"{name.Value} at [{buffer.Offset}, {buffer.End}) is outside the arena of {plan.ArenaBytes} bytes");
            }
            if (buffer.Offset % MemoryPlan.Alignment != 0)
            {
                throw new MemoryPlanException($"{name.Value} at offset {buffer.Offset} is not aligned to {MemoryPlan.Alignment} bytes");
            }
        }
        var missing = liveness.Intervals.Keys.FirstOrDefault(v => !byValue.ContainsKey(v));
        if (missing is not null)
        {
            throw new MemoryPlanException($"{Describe(plan, missing)} has no buffer");
        }
        foreach (var donation in plan.Donations)
        {
            if (!Donation.IsLegal(liveness, donation.Output, donation.Input, donation.Step)
                || plan.Graph.Outputs.Count(o => ReferenceEquals(o.Value, donation.Output) && ReferenceEquals(o.Aliases, donation.Input)) == 0
                || plan.Donations.Count(d => ReferenceEquals(d.Input, donation.Input)) > 1)
            {
                throw new MemoryPlanException($"{Describe(plan, donation.Output)} is written into input %{donation.Input.Name} at step {donation.Step}, "
                    + $"but the input is read until step {liveness.LastRead(donation.Input)}, or is not the output's alias, or is donated twice");
            }
        }
        var byDef = plan.Buffers.OrderBy(b => b.Def).ToArray();
        for (int i = 0; i < byDef.Length; i++)
        {
            for (int j = i + 1; j < byDef.Length && byDef[j].Def <= byDef[i].LastUse; j++)
            {
                var (a, b) = (byDef[i], byDef[j]);
                if (a.SharesBytesWith(b) && !InPlace(plan, a, b) && !InPlace(plan, b, a))
                {
                    throw new MemoryPlanException($"{Describe(plan, a)} at [{a.Offset}, {a.End}) over steps {a.Def}..{a.LastUse} and "
                        + $"{Describe(plan, b)} at [{b.Offset}, {b.End}) over steps {b.Def}..{b.LastUse} are live at once in the same bytes");
                }
            }
        }
    }

    /// <summary>Whether <paramref name="result"/> legally takes <paramref name="host"/>'s bytes: same place and size, written by an elementwise step reading host for the last time.</summary>
    private static bool InPlace(MemoryPlan plan, PlannedBuffer host, PlannedBuffer result) =>
        ReferenceEquals(result.InPlaceOf, host.Value) && result.Offset == host.Offset && result.Size == host.Size
        && host.LastUse == result.Def && ReferenceEquals(plan.Steps[result.Def].Produces, result.Value)
        && plan.Steps[result.Def].ReadsAligned(host.Value) && plan.Steps[result.Def].Reads.Any(r => ReferenceEquals(r, host.Value))
        && result.Value.Type.ElementCount == host.Value.Type.ElementCount;

    private static string Describe(MemoryPlan plan, PlannedBuffer buffer) => Describe(plan, buffer.Value);

    private static string Describe(MemoryPlan plan, Node node)
    {
        int index = IndexOf(plan.Graph, node);
        return $"buffer of %{(index >= 0 ? index : "?")} {node.Op.Name} : {node.Type}" + (node.Loc.IsKnown ? $" ({node.Loc})" : "");
    }

    private static int IndexOf(Graph graph, Node node)
    {
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            if (ReferenceEquals(graph.Nodes[i], node))
            {
                return i;
            }
        }
        return -1;
    }
}
