using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// Something that turns a verified graph into a runnable program: the reference interpreter today, the compiled
/// CPU and CUDA backends later. Training and inference go through this interface only.
/// </summary>
public interface IBackend
{
    /// <summary>A short name for logs and benchmarks (<c>reference</c>, <c>cpu</c>).</summary>
    string Name { get; }

    IExecutable Compile(Graph graph);
}

/// <summary>
/// A graph ready to run. Inputs and outputs are in the graph's order; inputs are never modified.
/// <para>
/// Thread safety: <see cref="Run"/> and <see cref="RunDonating"/> may be called from many threads at once, and each
/// call returns the outputs of its own inputs. An implementation keeps no per-run state in fields outside a lock:
/// the interpreter keeps none at all, a compiled program serializes the runs that share its buffers.
/// </para>
/// </summary>
public interface IExecutable : IDisposable
{
    Graph Graph { get; }

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
