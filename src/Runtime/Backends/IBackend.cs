using GraphDL.Codegen.Programs;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;

namespace GraphDL.Runtime;

/// <summary>
/// Something that turns a verified graph into a runnable program: the reference interpreter, the compiled CPU
/// backend, later CUDA. Training, inference and the CLI go through this interface only: what a caller may ask of a
/// compiled backend (its kernels, the memory its programs need) is here, so nobody casts to a concrete backend.
/// </summary>
public interface IBackend
{
    /// <summary>A short name for logs and benchmarks (<c>reference</c>, <c>cpu</c>).</summary>
    string Name { get; }

    IExecutable Compile(Graph graph);

    /// <summary>
    /// Compiles <paramref name="graph"/>, running the backend's own stages (fuse, lower, schedule, ...) under
    /// <paramref name="instrumentation"/>, the pass manager that ran the graph passes before them: the stages are
    /// timed, printed and dumped as the next numbered steps of the same pipeline.
    /// </summary>
    IExecutable Compile(Graph graph, PassManager? instrumentation) => Compile(graph);

    /// <summary>The kernels this backend groups <paramref name="graph"/> into, with what it did not fuse and why; null for a backend that runs nodes one by one.</summary>
    FusionPlan? PlanFusion(Graph graph) => null;

    /// <summary>The <c>fuse</c> pass with this backend's capabilities, or null for a backend that does not fuse.</summary>
    FusePass? FusePass => null;

    /// <summary>The program description this backend compiles <paramref name="graph"/> to; null for a backend that runs graphs itself.</summary>
    ProgramDescription? Lower(Graph graph) => null;

    /// <summary>
    /// The memory plan this backend's program for <paramref name="graph"/> would get (the remat pass judges budgets
    /// on it); null for a backend that plans no arena.
    /// </summary>
    MemoryPlan? EstimateMemory(Graph graph) => null;
}

/// <summary>
/// A graph ready to run. Inputs and outputs are in the graph's order; inputs are never modified, except through
/// <see cref="RunDonating"/>.
/// <para>
/// Thread safety: <see cref="Run"/> and <see cref="RunDonating"/> may be called from many threads at once, and each
/// call returns the outputs of its own inputs. An implementation keeps no per-run state in fields outside a lock:
/// the interpreter keeps none at all, a compiled program serializes the runs that share its buffers.
/// </para>
/// </summary>
public interface IExecutable : IDisposable
{
    Graph Graph { get; }

    /// <summary>The program description this executable runs, or null when it runs the graph itself (the interpreter).</summary>
    ProgramDescription? Program => null;

    /// <summary>Where the program keeps its intermediate values; null for an executable that plans no arena.</summary>
    MemoryPlan? Memory => Program?.Memory;

    /// <summary>The generated source (empty when nothing was generated).</summary>
    string Source => "";

    /// <summary>
    /// Runs the program <paramref name="repetitions"/> times (after one warm-up run) timing every step, and returns
    /// each step's median time with its nodes, bytes moved and flops, in run order; empty for an executable without steps.
    /// </summary>
    IReadOnlyList<StepProfile> Profile(IReadOnlyList<HostTensor> inputs, int repetitions) => [];

    IReadOnlyList<HostTensor> Run(IReadOnlyList<HostTensor> inputs);

    /// <summary>
    /// Runs the graph, letting it write outputs that alias an input (<see cref="GraphOutput.Aliases"/>: a training
    /// step's new parameters and optimizer state) into that input's storage where its schedule allows, as JAX's
    /// donated arguments: the inputs given for aliased outputs are consumed, and may hold the new values afterwards.
    /// Backends that cannot update in place run as <see cref="Run"/>.
    /// </summary>
    IReadOnlyList<HostTensor> RunDonating(IReadOnlyList<HostTensor> inputs) => Run(inputs);
}

/// <summary>
/// Runs graphs with <see cref="ReferenceInterpreter"/>: the oracle the other backends are tested against. Its
/// executables hold nothing but the graph, so concurrent runs share nothing.
/// </summary>
public sealed class ReferenceBackend : IBackend
{
    public static ReferenceBackend Instance { get; } = new();

    public string Name => "reference";

    public IExecutable Compile(Graph graph) => new Executable(graph);

    private sealed class Executable(Graph graph) : IExecutable
    {
        public Graph Graph => graph;

        public IReadOnlyList<HostTensor> Run(IReadOnlyList<HostTensor> inputs) => ReferenceInterpreter.Run(graph, inputs);

        public void Dispose()
        {
        }
    }
}

/// <summary>One step's median time in an <see cref="IExecutable.Profile"/> run, with what it computes and moves.</summary>
public sealed record StepProfile(string Name, IReadOnlyList<Node> Nodes, double Seconds, long Bytes, double Flops)
{
    public double GigabytesPerSecond => Seconds > 0 ? Bytes / Seconds / 1e9 : 0;

    public double GigaflopsPerSecond => Seconds > 0 ? Flops / Seconds / 1e9 : 0;
}
