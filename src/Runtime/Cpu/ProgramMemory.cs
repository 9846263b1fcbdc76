using GraphDL.IR;
using GraphDL.Passes.Memory;

namespace GraphDL.Runtime;

/// <summary>
/// The memory plan of a <see cref="CpuProgram"/>'s steps as they run: the hoisted steps (run once at build, their
/// buffers persistent), then the steps a run walks. A reshape step names its operand's buffer, so reading it keeps
/// the operand alive; a value no step computes (a transpose read in place by a GEMM, or a product computed
/// transposed) stands for the values it is computed from.
/// </summary>
internal static class ProgramMemory
{
    public static MemoryPlan Plan(Graph graph, IReadOnlyList<CpuStep> hoisted, IReadOnlyList<CpuStep> steps, IReadOnlyDictionary<CpuStep, IReadOnlyList<Node>> members)
    {
        var computed = hoisted.Concat(steps).Select(s => s.Output).ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        IEnumerable<Value> Resolve(Value value) => value is Node node && !computed.Contains(node)
            ? node.Operands.Where(o => o is not Literal).SelectMany(Resolve)
            : [value];
        MemoryStep Of(CpuStep step, bool persistent) => new(step.Output, step.Reads.SelectMany(Resolve).Distinct(ReferenceEqualityComparer.Instance).Cast<Value>().ToArray())
        {
            AliasOf = step is AliasStep ? step.Output.Operands[0] : null,
            Persistent = persistent,
            // A generated kernel reads an input only at the index it writes when elementwise ops alone lead from it to
            // the result; GEMMs and hand-written kernels are never written in place of what they read.
            AlignedReads = step switch
            {
                GeneratedStep => MemoryStep.AlignedReadsOf(members[step], step.Output),
                ReferenceStep => MemoryStep.AlignedReadsOf(step.Sources, step.Output),
                _ => [],
            },
        };
        return MemoryPlanner.Plan(graph, [.. hoisted.Select(s => Of(s, persistent: true)), .. steps.Select(s => Of(s, persistent: false))]);
    }
}
