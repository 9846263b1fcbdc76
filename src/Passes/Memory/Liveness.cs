using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// Live intervals of the arena's values over a schedule. A value belongs in the arena when a non-persistent step
/// gives it a buffer of its own and it does not escape to the caller (a graph output, or named by an output through
/// a reshape alias). Its interval runs from its step to the last step that reads it or a reshape naming its buffer:
/// an alias extends its operand's lifetime. Both the planner and the checker derive intervals here, so the checker
/// proves a plan against the schedule rather than against the planner's own bookkeeping.
/// </summary>
public sealed class Liveness
{
    private readonly Dictionary<Value, Value> _aliasOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Node, (int Def, int LastUse)> _intervals = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<GraphInput, int> _inputLastRead = new(ReferenceEqualityComparer.Instance);

    public Liveness(Graph graph, IReadOnlyList<MemoryStep> steps)
    {
        Steps = steps;
        foreach (var step in steps.Where(s => s.AliasOf is not null))
        {
            _aliasOf[step.Produces] = step.AliasOf!;
        }
        var escaping = graph.Outputs.Select(o => Underlying(o.Value)).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        for (int s = 0; s < steps.Count; s++)
        {
            var step = steps[s];
            if (step.AliasOf is null && !step.Persistent && !escaping.Contains(step.Produces) && !_intervals.ContainsKey(step.Produces))
            {
                _intervals[step.Produces] = (s, s);
            }
        }
        for (int s = 0; s < steps.Count; s++)
        {
            foreach (var read in steps[s].Reads.Append(steps[s].AliasOf).OfType<Value>().Select(Underlying))
            {
                if (read is Node node && _intervals.TryGetValue(node, out var interval) && s > interval.LastUse)
                {
                    _intervals[node] = (interval.Def, s);
                }
                else if (read is GraphInput input)
                {
                    _inputLastRead[input] = s;
                }
            }
        }
    }

    public IReadOnlyList<MemoryStep> Steps { get; }

    /// <summary>Each arena value's [definition step, last use step].</summary>
    public IReadOnlyDictionary<Node, (int Def, int LastUse)> Intervals => _intervals;

    /// <summary>The last step that reads <paramref name="input"/> or a reshape naming it; -1 when none does.</summary>
    public int LastRead(GraphInput input) => _inputLastRead.TryGetValue(input, out int step) ? step : -1;

    /// <summary>The value whose buffer <paramref name="value"/> names, following reshape aliases.</summary>
    public Value Underlying(Value value)
    {
        while (_aliasOf.TryGetValue(value, out var operand))
        {
            value = operand;
        }
        return value;
    }
}
