using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// A graph output written straight into the storage of the input it aliases (<see cref="GraphOutput.Aliases"/>: a
/// parameter's, optimizer state's or running statistic's new value), so a training step updates them in place
/// instead of allocating new ones, as XLA's input-output aliasing and JAX's donated arguments do. Legal when the
/// output's step, <see cref="Step"/>, comes after every other read of the input, or is the last read and reads the
/// input only at the index it writes (<see cref="MemoryStep.AlignedReads"/>: each element is read before the element
/// at the same index is written).
/// </summary>
public sealed record Donation(Node Output, GraphInput Input, int Step)
{
    /// <summary>The donations a schedule allows: each aliased output of the input's type whose step is the input's last reader or later.</summary>
    public static IReadOnlyList<Donation> Find(Graph graph, Liveness liveness)
    {
        var steps = liveness.Steps;
        var escaping = graph.Outputs.Select(o => liveness.Underlying(o.Value)).ToArray();
        var donations = new List<Donation>();
        foreach (var output in graph.Outputs)
        {
            if (output is not { Value: Node node, Aliases: { } input } || node.Type != input.Type
                // The caller gets the input back as an output, or this value as two outputs: neither may change.
                || escaping.Any(v => ReferenceEquals(v, input)) || escaping.Count(v => ReferenceEquals(v, node)) > 1
                || donations.Any(d => ReferenceEquals(d.Input, input)))
            {
                continue;
            }
            int step = Enumerable.Range(0, steps.Count).FirstOrDefault(s => ReferenceEquals(steps[s].Produces, node) && steps[s].AliasOf is null && !steps[s].Persistent, -1);
            if (step >= 0 && IsLegal(liveness, node, input, step))
            {
                donations.Add(new Donation(node, input, step));
            }
        }
        return donations;
    }

    /// <summary>Whether <paramref name="output"/>, written at <paramref name="step"/>, may overwrite <paramref name="input"/>'s storage.</summary>
    public static bool IsLegal(Liveness liveness, Node output, GraphInput input, int step)
    {
        int lastRead = liveness.LastRead(input);
        var writer = liveness.Steps[step];
        return ReferenceEquals(writer.Produces, output) && writer.AliasOf is null && output.Type == input.Type
            && (lastRead < step || (lastRead == step && writer.ReadsAligned(input)));
    }
}
