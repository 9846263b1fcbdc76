using System.Globalization;
using System.Text;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;

namespace GraphDL.Codegen.Programs;

/// <summary>
/// A compiled program, described once for every consumer (DESIGN.md, "The program description"): the steps that run
/// once when the program is built (<see cref="Hoisted"/>: they read no graph input), the steps of each run in order
/// (<see cref="Steps"/>), each with exactly the buffers it reads and writes and its in-place claims, the distinct
/// generated kernels they call (<see cref="Kernels"/>), and the memory plan of all of them (<see cref="Memory"/>),
/// proved by <see cref="MemoryPlanChecker"/> when the description is made. Renderers (C#; later PTX) and the runtime
/// read it; nothing else decides which values are views or what a step reads. Immutable.
/// </summary>
public sealed class ProgramDescription
{
    internal ProgramDescription(Graph graph, FusionPlan fusion, IReadOnlyList<ProgramStep> hoisted, IReadOnlyList<ProgramStep> steps, StepSchedule schedule)
    {
        Graph = graph;
        Fusion = fusion;
        Hoisted = hoisted;
        Steps = steps;
        Schedule = schedule;
        CheckReads();
        // Every description's plan is proved safe before anything is laid out by it, so every program the tests
        // compile checks the planner.
        Memory = MemoryPlanner.Plan(graph, [.. hoisted.Select(s => s.ToMemoryStep(persistent: true)), .. steps.Select(s => s.ToMemoryStep(persistent: false))]);
        MemoryPlanChecker.Check(Memory);
        Kernels = hoisted.Concat(steps).SelectMany(GeneratedKernels).Distinct().ToArray();
    }

    /// <summary>The graph the program computes, flat (a fused graph's bodies inlined): the nodes the steps name.</summary>
    public Graph Graph { get; }

    /// <summary>The kernels chosen by the fusion planner, with the report of what was not fused and why.</summary>
    public FusionPlan Fusion { get; }

    /// <summary>Steps that read no graph input (iotas, fills and what is computed from them), run once when the program is built.</summary>
    public IReadOnlyList<ProgramStep> Hoisted { get; }

    /// <summary>The steps of a run, in the order they run.</summary>
    public IReadOnlyList<ProgramStep> Steps { get; }

    /// <summary>The schedule's figures: the peak of live bytes in the order chosen, and in the graph's order.</summary>
    public StepSchedule Schedule { get; }

    /// <summary>Where every buffer lives: the hoisted steps (persistent, outside the arena), then <see cref="Steps"/>.</summary>
    public MemoryPlan Memory { get; }

    /// <summary>The distinct generated kernels the steps call, in first-use order.</summary>
    public IReadOnlyList<Kernel> Kernels { get; }

    /// <summary>The generated kernels a step calls (a kernel step's, a GEMM's epilogue).</summary>
    public static IEnumerable<Kernel> GeneratedKernels(ProgramStep step) => step switch
    {
        KernelStep k => [k.Lowered.Kernel],
        GemmStep { Epilogue: { } e } => [e.Lowered.Kernel],
        _ => [],
    };

    /// <summary>
    /// Every read names a graph input or the result of an earlier step (hoisted steps come first): a read of a
    /// value no step computes would be a buffer nobody writes, and a read of a later one a buffer not yet written.
    /// </summary>
    private void CheckReads()
    {
        var ready = new HashSet<Value>(Graph.Inputs, ReferenceEqualityComparer.Instance);
        foreach (var step in Hoisted.Concat(Steps))
        {
            foreach (var read in step.Reads)
            {
                if (!ready.Contains(read))
                {
                    throw new InvalidOperationException($"step '{step}' of @{Graph.Name} reads {read.Type} {Name(read)}, which no earlier step computes");
                }
            }
            ready.Add(step.Output);
        }
    }

    private string Name(Value value) => value switch
    {
        GraphInput input => "%" + input.Name,
        Node node => "%" + IndexOf(node).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private Dictionary<Node, int>? _indices;

    private int IndexOf(Node node)
    {
        _indices ??= Graph.Nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        return _indices.TryGetValue(node, out int index) ? index : -1;
    }

    /// <summary>
    /// The program listing (<c>graphdl compile --emit program</c>, and the <c>lower</c> dump): one line per step in
    /// run order with the values it reads and the value it writes (named as the flat graph prints them) and where
    /// that value lives, then the memory plan's summary.
    /// </summary>
    public string Format()
    {
        var offsets = Memory.Buffers.ToDictionary(b => b.Value, b => b.Offset, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        var outputs = Graph.Outputs.Select(o => o.Value).ToHashSet(ReferenceEqualityComparer.Instance);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"program @{Graph.Name}: {Steps.Count} steps per run, {Hoisted.Count} run once, {Kernels.Count} distinct generated kernels, arena {Memory.ArenaBytes} bytes\n");
        void Line(string prefix, int index, ProgramStep step)
        {
            string where = step.ViewOf is { } of ? $"view of {Name(of)}"
                : outputs.Contains(step.Output) ? "output"
                : offsets.TryGetValue(step.Output, out long offset) ? $"arena +{offset}"
                : "own buffer";
            text.Append(CultureInfo.InvariantCulture, $"{prefix}{index,4}: {step}\n")
                .Append(CultureInfo.InvariantCulture, $"        reads {(step.Reads.Count == 0 ? "nothing" : string.Join(", ", step.Reads.Select(Name)))}")
                .Append(CultureInfo.InvariantCulture, $" -> {Name(step.Output)} : {step.Output.Type} ({where})\n");
        }
        for (int i = 0; i < Hoisted.Count; i++)
        {
            Line("once", i, Hoisted[i]);
        }
        for (int i = 0; i < Steps.Count; i++)
        {
            Line("step", i, Steps[i]);
        }
        text.Append(CultureInfo.InvariantCulture,
            $"schedule: peak {Schedule.PeakBytes} bytes live (graph order: {Schedule.GivenOrderPeakBytes}); memory plan: arena {Memory.ArenaBytes} bytes, lower bound {Memory.LowerBoundBytes}, {Memory.Donations.Count} donated outputs\n");
        return text.ToString();
    }
}
