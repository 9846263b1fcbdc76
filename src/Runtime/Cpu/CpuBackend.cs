using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.Programs;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;

namespace GraphDL.Runtime;

/// <summary>
/// The compiled CPU backend. The fusion planner groups the graph into kernels (elementwise chains with broadcasts
/// folded into index math, row reductions with their producers and consumers, matmuls with their elementwise
/// epilogues); kernels become generated C# SIMD methods compiled together by Roslyn, matmuls run on the packed GEMM
/// (batched ones on the batched GEMM, conv2d by im2col + GEMM), and nodes it does not generate code for yet run
/// their reference evaluation as steps of the same program. With <c>fuse: false</c> every node is its own kernel.
/// <para>Results are within documented tolerances of the interpreter: the packed GEMM accumulates in f32 in blocked
/// order (error bounded by about k·2⁻²³ relative to Σ|a||b|), f32 transcendentals use VectorMath (1–2 ulp, see
/// <see cref="Codegen.CSharp.KernelOptions"/>) and f32 sums use several vector accumulators. With
/// <c>exact: true</c> every result equals the interpreter's bit for bit (matmuls by their reference evaluation,
/// scalar transcendentals, sums in double in the interpreter's order), for differential testing.</para>
/// </summary>
public sealed class CpuBackend(bool fuse = true, bool exact = false, bool planMemory = true) : IBackend
{
    public static CpuBackend Instance { get; } = new();

    public string Name => (fuse ? "cpu" : "cpu-unfused") + (exact ? "-exact" : "") + (planMemory ? "" : "-unplanned");

    public bool Fuse => fuse;

    public bool Exact => exact;

    /// <summary>
    /// Whether a program's intermediates share one arena laid out by its memory plan (the default), or each get a
    /// buffer of their own (to check that planning changes no result).
    /// </summary>
    public bool PlanMemory => planMemory;

    /// <summary>How this backend lowers: exact mode runs no library kernel (GEMMs are not bit-exact) and makes no views.</summary>
    private LoweringOptions Lowering => new(Fuse: fuse, LibraryKernels: !exact);

    public IExecutable Compile(Graph graph) => Compile(graph, null);

    /// <summary>Lowers <paramref name="graph"/> to its program description, renders and compiles its kernels, and binds it.</summary>
    public IExecutable Compile(Graph graph, PassManager? instrumentation)
    {
        var program = Lower(graph, instrumentation);
        var (compiled, layout) = CSharpProgram.Compile(program, exact ? KernelOptions.Exact : KernelOptions.Fast, instrumentation);
        return new CpuProgram(program, compiled, layout, planMemory);
    }

    /// <summary>The program description this backend compiles <paramref name="graph"/> to.</summary>
    public ProgramDescription Lower(Graph graph) => Lower(graph, null);

    /// <summary>The back half up to the description (<see cref="ProgramLowering.Lower(Graph, LoweringOptions, PassManager)"/>).</summary>
    private ProgramDescription Lower(Graph graph, PassManager? instrumentation) => ProgramLowering.Lower(graph, Lowering, instrumentation);

    /// <summary>The <c>fuse</c> pass with this backend's capabilities: the graph with each kernel as a <c>fused</c> node.</summary>
    public FusePass FusePass => ProgramLowering.FusePassFor(Lowering);

    /// <summary>The kernels this backend would build for <paramref name="graph"/>, with the report of what is not fused and why.</summary>
    public FusionPlan PlanFusion(Graph graph) => ProgramLowering.PlanFusion(graph, Lowering);

    /// <summary>The memory plan this backend's program for <paramref name="graph"/> gets, for remat's budget.</summary>
    public MemoryPlan EstimateMemory(Graph graph) => Lower(graph).Memory;
}
