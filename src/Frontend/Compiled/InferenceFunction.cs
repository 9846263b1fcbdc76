using System.Runtime.CompilerServices;
using GraphDL.IR;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;

namespace GraphDL;

/// <summary>
/// A compiled forward pass (evaluation mode, no gradients). Reads the model's current parameters on every call.
/// Called with inputs of a new shape (same ranks and dtypes: a partial last batch, a longer prompt) it compiles for
/// that shape on first use and keeps every shape it has compiled, up to <see cref="CompileOptions.MaxShapes"/>.
/// Random ops (sampling) draw new numbers on every call: each call advances the Philox offset past the last.
/// <para>
/// Thread safety: <see cref="Run(HostTensor, string, int)"/> may be called from many threads at once; each call
/// returns the result for its own input (the compiled program serializes the runs that share its buffers). Not
/// synchronized with a <see cref="TrainStep{TModel}"/> updating the same parameters.
/// </para>
/// </summary>
public sealed class InferenceFunction : IDisposable
{
    private readonly Module _model;
    private readonly Func<Tensor[], Tensor[]> _forward;
    private readonly string[] _inputNames;
    private readonly CompileOptions _options;
    private readonly Feeds _feeds = new();
    private readonly ShapeCache<Compiled> _compiled;
    private long _rngOffset;

    /// <summary>One compiled shape: the graph and its program, and the Philox blocks one run draws.</summary>
    private sealed record Compiled(Graph Graph, IExecutable Executable, long RandomBlocks) : IDisposable
    {
        public void Dispose() => Executable.Dispose();
    }

    internal InferenceFunction(Module model, Func<Tensor[], Tensor[]> forward, string[] inputNames, TensorType[] sampleTypes,
        CompileOptions options, SourceLoc location)
    {
        _model = model;
        _forward = forward;
        _inputNames = inputNames;
        _options = options;
        foreach (var p in model.Parameters().Concat(model.Buffers()))
        {
            _feeds.Bind(p);
        }
        _feeds.Source("rng.seed", () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, options.Seed)));
        _compiled = new ShapeCache<Compiled>("inference", location, inputNames, sampleTypes, options, Compile);
    }

    /// <summary>The graph compiled for the sample inputs.</summary>
    public Graph Graph => _compiled.First.Graph;

    /// <summary>The input types of each shape compiled so far, the samples' first.</summary>
    public IReadOnlyList<IReadOnlyList<TensorType>> CompiledShapes => _compiled.Shapes;

    /// <summary>The names of the inputs each call takes, in order (the forward lambda's parameter names).</summary>
    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>The arena plan of the program for the sample inputs, or null for a backend that plans none (see <see cref="TrainStep.Memory"/>).</summary>
    public MemoryPlan? Memory => Compiler.MemoryOf(_compiled.First.Executable);

    /// <summary>What the backend compiled for the sample inputs: the program's steps, kernels and memory plan; null for a backend that runs the graph itself.</summary>
    public Codegen.Programs.ProgramDescription? Program => _compiled.First.Executable.Program;

    /// <summary>Runs the forward pass on <paramref name="x"/> with the model's current parameters; returns its (first) output.</summary>
    public HostTensor Run(HostTensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        RunAll([x], file, line)[0];

    /// <summary>Runs a function of two inputs; returns its (first) output.</summary>
    public HostTensor Run(HostTensor x, HostTensor y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        RunAll([x, y], file, line)[0];

    /// <summary>Runs a function of any number of inputs (in <see cref="InputNames"/> order); returns its first output.</summary>
    public HostTensor Run(IReadOnlyList<HostTensor> inputs, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        RunAll(inputs, file, line)[0];

    /// <summary>Runs the function and returns all its outputs (fresh tensors), in the order the forward lambda returned them.</summary>
    public IReadOnlyList<HostTensor> RunAll(IReadOnlyList<HostTensor> inputs, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var compiled = _compiled.For(inputs, Compiler.Caller(file, line));
        long offset = Interlocked.Add(ref _rngOffset, compiled.RandomBlocks) - compiled.RandomBlocks;
        var perCall = new List<(string, HostTensor)>(inputs.Count + 1) { ("rng.offset", HostTensor.FromScalar(Scalar.FromInt64(DType.I64, offset))) };
        for (int i = 0; i < inputs.Count; i++)
        {
            perCall.Add((_inputNames[i], inputs[i]));
        }
        return compiled.Executable.Run(_feeds.Inputs(compiled.Graph, perCall));
    }

    private Compiled Compile(TensorType[] types)
    {
        bool wasTraining = _model.Training;
        _model.Eval();
        try
        {
            var context = Compiler.TraceWith("inference", context =>
            {
                foreach (var p in _model.Parameters().Concat(_model.Buffers()))
                {
                    context.Bind(p);
                }
                var inputs = types.Select((t, i) => new Tensor(context, context.Builder.AddInput(_inputNames[i], t))).ToArray();
                using (context.EnterNoGrad())
                {
                    var outputs = _forward(inputs);
                    if (outputs.Length == 0)
                    {
                        throw new ArgumentException("the forward function returned no tensors");
                    }
                    foreach (var (output, k) in outputs.Select((o, k) => (o, k)))
                    {
                        if (output.Context != context)
                        {
                            throw new InvalidOperationException($"output {k} of the forward function is a tensor of another trace (@{output.Context.Builder.Name})");
                        }
                        context.Builder.Output(output.Value, outputs.Length == 1 ? "y" : $"y{k}");
                    }
                }
            });
            var (graph, executable) = Compiler.Compile(context.Builder.Build(), [], _options);
            return new Compiled(graph, executable, context.RandomBlocks);
        }
        finally
        {
            _model.Train(wasTraining);
        }
    }

    public void Dispose() => _compiled.Dispose();
}
