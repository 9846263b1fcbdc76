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
    internal ProgramDescription(FusionPlan fusion, IReadOnlyList<ProgramStep> hoisted, IReadOnlyList<ProgramStep> steps, StepSchedule schedule)
    {
        var graph = Graph = fusion.Graph;
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

    private string Name(Value value) => ProgramListing.Name(Graph, value);

    /// <summary>
    /// The program listing (<c>graphdl compile --emit program</c>, and the <c>plan-memory</c> dump): one line per step
    /// in run order with the values it reads and the value it writes, named as the flat graph prints them, and where
    /// that value lives, then the schedule's and the memory plan's figures.
    /// </summary>
    public string Format()
    {
        var offsets = Memory.Buffers.ToDictionary(b => b.Value, b => b.Offset, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        return $"program @{Graph.Name}: {Steps.Count} steps per run, {Hoisted.Count} run once, {Kernels.Count} distinct generated kernels, arena {Memory.ArenaBytes} bytes\n"
            + ProgramListing.Steps(Graph, Hoisted, Steps, step => offsets.TryGetValue(step.Output, out long offset) ? $"arena +{offset}" : "own buffer")
            + $"schedule: peak {Schedule.PeakBytes} bytes live (graph order: {Schedule.GivenOrderPeakBytes}); memory plan: arena {Memory.ArenaBytes} bytes, "
            + $"lower bound {Memory.LowerBoundBytes}, {Memory.Donations.Count} donated outputs\n";
    }
}
