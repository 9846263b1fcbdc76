using GraphDL.Codegen.Programs;
using GraphDL.IR;
using GraphDL.Passes;

namespace GraphDL.Codegen.CSharp;

/// <summary>
/// The C# rendering of a <see cref="ProgramDescription"/>: one method per distinct generated kernel (with a tile
/// entry for kernels that run as tiled GEMM epilogues) and the schedule's <c>Run</c> method, which calls the
/// kernels of a run in order with their argument addresses (<see cref="ScheduleLayout"/>) and calls back into the
/// runtime for every other step. Compiled together by Roslyn into one <see cref="CompiledProgram"/>.
/// </summary>
public static class CSharpProgram
{
    /// <summary>
    /// The <c>codegen</c> stage: the schedule's layout, and <paramref name="program"/>'s generated code rendered and
    /// compiled (null when it has no generated kernel: the runtime then walks its steps, with nothing to compile),
    /// run under <paramref name="instrumentation"/> when given, which dumps the source.
    /// </summary>
    public static (CompiledProgram? Compiled, ScheduleLayout Layout) Compile(ProgramDescription program, KernelOptions options, PassManager? instrumentation = null)
    {
        var layout = ScheduleLayout.Of(program);
        var compiled = ProgramLowering.Stage(instrumentation, "codegen", () => Compile(program, layout, options), c => c?.Source ?? "// no generated kernels\n", "cs");
        return (compiled, layout);
    }

    private static CompiledProgram? Compile(ProgramDescription program, ScheduleLayout layout, KernelOptions options)
    {
        if (program.Kernels.Count == 0)
        {
            return null;
        }
        var steps = program.Hoisted.Concat(program.Steps).ToArray();
        var tiled = steps.OfType<GemmStep>().Where(g => g.Tiled).Select(g => g.Epilogue!.Lowered.Kernel).ToHashSet();
        // Each kernel's header names its nodes as the fusion report does (%12: the node's index in the graph).
        var ids = program.Graph.Nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => $"%{p.i}", (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        // A kernel shared by several steps is named after the step it was generated for: the one whose nodes are its sources.
        var members = steps.Select(s => s switch { KernelStep k => k, GemmStep { Epilogue: { } e } => e, _ => null }).OfType<KernelStep>()
            .Where(k => k.Members.Count == k.Lowered.Kernel.Sources.Count)
            .GroupBy(k => k.Lowered.Kernel).ToDictionary(g => g.Key, g => g.First().Members);
        // Kernels render independently: on all cores when there are enough of them to pay for the hand-off.
        var methods = program.Kernels.AsParallel().AsOrdered().WithDegreeOfParallelism(program.Kernels.Count >= 16 ? Environment.ProcessorCount : 1)
            .Select(k => (k.Name, CSharpKernelRenderer.Render(k, tiled.Contains(k) ? options with { TileEntry = true } : options,
                members.TryGetValue(k, out var nodes) ? nodes.Select(m => ids[m]).ToArray() : null)))
            .AsSequential()
            .Append((ScheduleRenderer.MethodName, ScheduleRenderer.Render(program.Graph.Name, layout.Calls)))
            .ToArray();
        return CompiledProgram.Compile(methods, program.Graph.Name);
    }
}

/// <summary>
/// How the generated <c>Run</c> of a program calls its steps: one <see cref="ScheduleCall"/> per step of a run, and
/// the slots — every generated kernel's argument addresses back to back (its reads, then its output), each slot
/// naming the value whose buffer it holds, a view resolved to the value whose buffer it names.
/// </summary>
public sealed class ScheduleLayout
{
    private ScheduleLayout(IReadOnlyList<ScheduleCall> calls, IReadOnlyList<Value> slots)
    {
        Calls = calls;
        Slots = slots;
    }

    /// <summary>One call per step of <see cref="ProgramDescription.Steps"/>, in order.</summary>
    public IReadOnlyList<ScheduleCall> Calls { get; }

    /// <summary>The value whose buffer's address each slot holds.</summary>
    public IReadOnlyList<Value> Slots { get; }

    public static ScheduleLayout Of(ProgramDescription program)
    {
        var viewOf = program.Hoisted.Concat(program.Steps).Where(s => s.ViewOf is not null)
            .ToDictionary(s => (Value)s.Output, s => s.ViewOf!, (IEqualityComparer<Value>)ReferenceEqualityComparer.Instance);
        Value Underlying(Value value)
        {
            while (viewOf.TryGetValue(value, out var operand))
            {
                value = operand;
            }
            return value;
        }
        var calls = new List<ScheduleCall>();
        var slots = new List<Value>();
        for (int i = 0; i < program.Steps.Count; i++)
        {
            var step = program.Steps[i];
            string comment = step.Describe();
            if (step is KernelStep kernel)
            {
                calls.Add(new ScheduleCall.Kernel(kernel.Lowered.Kernel.Name, slots.Count, comment));
                slots.AddRange(kernel.Lowered.Inputs.Append(kernel.Output).Select(Underlying));
            }
            else
            {
                calls.Add(step.ViewOf is not null ? new ScheduleCall.Note(comment) : new ScheduleCall.Host(i, comment));
            }
        }
        return new ScheduleLayout(calls, slots);
    }
}
