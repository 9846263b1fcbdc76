using System.Globalization;
using System.Text;
using GraphDL.IR;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;

namespace GraphDL.Codegen.Programs;

/// <summary>
/// A program between the <c>lower</c> and <c>plan-memory</c> stages: its steps, in the fusion plan's order or, once
/// <see cref="Schedule"/> is set, in run order.
/// </summary>
public sealed record LoweredSteps(FusionPlan Fusion, IReadOnlyList<ProgramStep> Hoisted, IReadOnlyList<ProgramStep> Steps, StepSchedule? Schedule)
{
    /// <summary>The steps, as the <c>lower</c> and <c>schedule</c> dumps show them.</summary>
    public string Format()
    {
        var header = Schedule is null
            ? $"steps of @{Fusion.Graph.Name} in the fusion plan's order: {Steps.Count} per run, {Hoisted.Count} run once\n"
            : $"steps of @{Fusion.Graph.Name} in run order: peak {Schedule.PeakBytes} bytes live (graph order: {Schedule.GivenOrderPeakBytes})\n";
        return header + ProgramListing.Steps(Fusion.Graph, Hoisted, Steps, _ => "");
    }
}

/// <summary>How program listings name values and lay out steps.</summary>
internal static class ProgramListing
{
    /// <summary>A graph input by its name, a node by its index in the flat graph (as the printer numbers it).</summary>
    public static string Name(Graph graph, Value value) => value switch
    {
        GraphInput input => "%" + input.Name,
        Node node => "%" + IndexOf(graph, node).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Graph, Dictionary<Node, int>> Indices = new();

    private static int IndexOf(Graph graph, Node node)
    {
        var indices = Indices.GetValue(graph, g => g.Nodes.Select((n, i) => (n, i))
            .ToDictionary(p => p.n, p => p.i, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance));
        return indices.TryGetValue(node, out int index) ? index : -1;
    }

    /// <summary>
    /// Two lines per step: its index (<c>once</c> for a hoisted step) and description, then what it reads and
    /// writes; <paramref name="where"/> says where a computed value lives (graph outputs and views say so themselves).
    /// </summary>
    public static string Steps(Graph graph, IReadOnlyList<ProgramStep> hoisted, IReadOnlyList<ProgramStep> steps, Func<ProgramStep, string> where)
    {
        var outputs = graph.Outputs.Select(o => o.Value).ToHashSet(ReferenceEqualityComparer.Instance);
        var text = new StringBuilder();
        void Line(string prefix, int index, ProgramStep step)
        {
            string place = step.ViewOf is { } of ? $"view of {Name(graph, of)}" : outputs.Contains(step.Output) ? "output" : where(step);
            text.Append(CultureInfo.InvariantCulture, $"{prefix}{index,4}: {step}\n")
                .Append("        reads ").Append(step.Reads.Count == 0 ? "nothing" : string.Join(", ", step.Reads.Select(v => Name(graph, v))))
                .Append(CultureInfo.InvariantCulture, $" -> {Name(graph, step.Output)} : {step.Output.Type}{(place.Length == 0 ? "" : $" ({place})")}\n");
        }
        for (int i = 0; i < hoisted.Count; i++)
        {
            Line("once", i, hoisted[i]);
        }
        for (int i = 0; i < steps.Count; i++)
        {
            Line("step", i, steps[i]);
        }
        return text.ToString();
    }
}
