using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// The compiled CPU backend. The fusion planner groups the graph into kernels (elementwise chains with broadcasts
/// folded into index math, matmuls with their elementwise epilogues); kernels become generated C# SIMD methods
/// compiled together by Roslyn, matmuls run on the packed GEMM, and nodes it does not generate code for yet run
/// their reference evaluation as steps of the same program. With <c>fuse: false</c> every node is its own kernel.
/// <para>Everything it generates equals the interpreter bit for bit except the packed GEMM, which accumulates in
/// f32 in blocked order (error bounded by about k·2⁻²³ relative to Σ|a||b|); <c>gemm: false</c> runs matmuls
/// by their reference evaluation instead, for bit-exact differential testing.</para>
/// </summary>
public sealed class CpuBackend(bool fuse = true, bool gemm = true) : IBackend
{
    public static CpuBackend Instance { get; } = new();

    public string Name => (fuse ? "cpu" : "cpu-unfused") + (gemm ? "" : "-exact");

    public bool Fuse => fuse;

    public IExecutable Compile(Graph graph) => new CpuProgram(graph, fuse, gemm);
}
