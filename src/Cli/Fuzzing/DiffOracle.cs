using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// What a differential check (<see cref="BackendDiff.Mismatch(Graph, IReadOnlyList{HostTensor}, DiffOracle, CompileStats?)"/>)
/// compiles and how it judges the compiled outputs against the interpreter: <see cref="Exact"/> compiles the
/// bit-exact backend and wants every bit (<see cref="BackendDiff.Same"/>), <see cref="Fast"/> compiles the default
/// fast mode and wants every output within the modelled rounding error (<see cref="FastModeOracle"/>).
/// </summary>
internal abstract class DiffOracle
{
    public static DiffOracle Exact { get; } = new ExactOracle();

    public static DiffOracle Fast { get; } = new FastModeOracle();

    /// <summary>"exact" or "fast", for reports.</summary>
    public abstract string Name { get; }

    /// <summary>The backends compiled, fused and unfused.</summary>
    public abstract IBackend[] Backends();

    /// <summary>
    /// Runs the references for <paramref name="graph"/> on <paramref name="inputs"/> and returns the judge of the
    /// compiled outputs: given an output's index and a compiled value, null when it is acceptable, else what differs.
    /// </summary>
    public abstract Func<int, HostTensor, string?> Expect(Graph graph, IReadOnlyList<HostTensor> inputs, CompileStats? stats);

    private sealed class ExactOracle : DiffOracle
    {
        public override string Name => "exact";

        public override IBackend[] Backends() => [new CpuBackend(fuse: true, exact: true), new CpuBackend(fuse: false, exact: true)];

        public override Func<int, HostTensor, string?> Expect(Graph graph, IReadOnlyList<HostTensor> inputs, CompileStats? stats)
        {
            var expected = ReferenceInterpreter.Run(graph, inputs);
            return (o, actual) =>
            {
                if (!BackendDiff.Same(actual, expected[o]))
                {
                    return BackendDiff.FirstDifference(actual, expected[o]);
                }
                if (stats is not null && !actual.BitEquals(expected[o]))
                {
                    stats.NanBitsOnly++;
                }
                return null;
            };
        }
    }
}
