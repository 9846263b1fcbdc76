using GraphDL.IR;
using GraphDL.Passes.Autodiff;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;

namespace GraphDL;

/// <summary>
/// One compiled training step: the loss of any number of inputs (x, y, a mask, ...), its gradients and the
/// optimizer's update, in one graph. <see cref="Run(HostTensor, HostTensor, string, int)"/> updates the model's
/// parameters, buffers and the optimizer state in place and returns the loss; <see cref="Step(HostTensor, HostTensor, string, int)"/>
/// returns it in its own dtype with the learning rate used and, when asked (<see cref="StepOptions"/>), the gradient
/// norm and the gradients. The learning rate is an input of the graph, so schedules never recompile; a batch of a new
/// shape (the partial last batch) compiles once for that shape (<see cref="CompileOptions.MaxShapes"/>).
/// <para>
/// Thread safety: Run may be called from many threads at once. Each call is one whole step (read the parameters, run,
/// write the new parameters and optimizer state, advance the random stream) done under this step's lock, so
/// concurrent calls take effect as if made one after another in some order, and each returns the loss of its own
/// batch. Parameters are updated in place: other functions that read the same parameters (an
/// <see cref="InferenceFunction"/> of the model) are not synchronized with this step; do not run them during it.
/// </para>
/// </summary>
public partial class TrainStep : IDisposable
{
    private readonly Func<Tensor[], (Tensor Loss, Tensor[] Outputs)> _loss;
    private readonly string[] _inputNames;
    private readonly CompileOptions _options;
    private readonly Parameter[] _parameters;
    private readonly OptimizerPass _update;
    private readonly Parameter _stepCount;
    private readonly DType _learningRateDType;
    private readonly bool _training;
    private readonly Feeds _feeds = new();
    private readonly ShapeCache<Compiled> _compiled;

    /// <summary>Held for a whole step (and by checkpoints): the parameters it reads and donates, and <see cref="_rngOffset"/>, are shared by all calls.</summary>
    private readonly Lock _lock = new();
    private long _rngOffset;

    /// <summary>One compiled shape: the traced loss, the compiled step graph and its program, and where its outputs are.</summary>
    private sealed record Compiled(Graph Forward, Graph Graph, IExecutable Executable, long RandomBlocks, int Loss, int GradNorm,
        (string Parameter, int Output)[] Gradients, int[] Outputs) : IDisposable
    {
        public void Dispose() => Executable.Dispose();
    }

    private protected TrainStep(Module model, Func<Tensor[], (Tensor Loss, Tensor[] Outputs)> loss, Delegate? named, int skip, Optimizer optimizer, TensorType[] sampleTypes,
        CompileOptions options, StepOptions step, SourceLoc location)
    {
        Model = model;
        Optimizer = optimizer;
        Options = step;
        _loss = loss;
        _options = options;
        _training = model.Training;
        _parameters = model.Parameters().ToArray();
        if (_parameters.Length == 0)
        {
            throw new ArgumentException($"{model.GetType().Name} has no parameters to train", nameof(model));
        }
        _learningRateDType = _parameters[0].Type.DType;
        _update = new OptimizerPass(optimizer, _parameters, location, step);
        _stepCount = _update.State[^1];
        var persistent = _parameters.Concat(model.Buffers()).Concat(_update.State).ToArray();
        _inputNames = GraphDL.InputNames.Of(named, skip, sampleTypes.Length, persistent.Select(p => p.Name));
        foreach (var p in persistent)
        {
            _feeds.Bind(p);
        }
        _feeds.Source("rng.seed", () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, options.Seed)));
        _compiled = new ShapeCache<Compiled>("train_step", location, _inputNames, sampleTypes, options, Compile);
    }

    /// <summary>The model this step trains.</summary>
    public Module Model { get; }

    /// <summary>The update rule; its <see cref="Optimizer.LearningRate"/> is read on every step.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Clipping and gradient outputs of this step.</summary>
    public StepOptions Options { get; }

    /// <summary>The names of the inputs each call takes, in order (the loss lambda's parameter names after the model).</summary>
    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>The traced forward graph (the loss) for the sample inputs, before autodiff: the pipeline's input.</summary>
    public Graph Forward => _compiled.First.Forward;

    /// <summary>The compiled joint forward + backward + update graph for the sample inputs.</summary>
    public Graph Graph => _compiled.First.Graph;

    /// <summary>The input types of each shape compiled so far, the samples' first.</summary>
    public IReadOnlyList<IReadOnlyList<TensorType>> CompiledShapes => _compiled.Shapes;

    /// <summary>
    /// Where the compiled program (for the sample inputs) keeps its intermediate values: the arena plan held to
    /// <see cref="CompileOptions.MemoryBudget"/>, or null for a backend that plans none (the reference interpreter).
    /// </summary>
    public MemoryPlan? Memory => Compiler.MemoryOf(_compiled.First.Executable);

    /// <summary>What the backend compiled for the sample inputs: the program's steps, kernels and memory plan; null for a backend that runs the graph itself.</summary>
    public Codegen.Programs.ProgramDescription? Program => _compiled.First.Executable.Program;

    /// <summary>The compiled program for the sample inputs (for tests that look inside it).</summary>
    internal IExecutable Executable => _compiled.First.Executable;

    /// <summary>The optimizer's step count: how many steps have run (restored by a checkpoint).</summary>
    public long Steps => _stepCount.Data.GetInt64(0);

    /// <summary>Everything a step reads and writes back: parameters, buffers and the optimizer's state (the step count last).</summary>
    internal IEnumerable<Parameter> PersistentState => _parameters.Concat(Model.Buffers()).Concat(_update.State);

    /// <summary>The optimizer's own state (moments, momentum buffers, the step count), as graph inputs name it.</summary>
    internal IReadOnlyList<Parameter> OptimizerState => _update.State;

    /// <summary>The Philox offset the next step's random ops start at.</summary>
    internal long RngOffset
    {
        get => _rngOffset;
        set => _rngOffset = value;
    }

    /// <summary>The lock a step holds, for checkpoints that read or replace the state between steps.</summary>
    internal Lock SyncRoot => _lock;

    private Compiled Compile(TensorType[] types)
    {
        // Every shape is traced in the mode the step was made in, whatever mode the model is in when a new shape arrives.
        bool wasTraining = Model.Training;
        Model.Train(_training);
        try
        {
            int outputCount = 0;
            var context = Compiler.TraceWith("train_step", context =>
            {
                var builder = context.Builder;
                foreach (var p in _parameters.Concat(Model.Buffers()))
                {
                    context.Bind(p);
                }
                var inputs = types.Select((t, i) => new Tensor(context, builder.AddInput(_inputNames[i], t))).ToArray();
                var (value, others) = _loss(inputs);
                if (value.Context != context || value.Rank != 0 || !value.DType.IsFloat())
                {
                    throw new ArgumentException($"the loss must be a float scalar of this step's trace, got {value.Type}", "loss");
                }
                builder.Output(value.Value, "loss");
                foreach (var (other, k) in others.Select((o, k) => (o, k)))
                {
                    if (other.Context != context)
                    {
                        throw new ArgumentException($"output {k} of the loss function is a tensor of another trace (@{other.Context.Builder.Name})", "loss");
                    }
                    builder.Output(other.Value, $"output{k}");
                }
                outputCount = others.Length;
                foreach (var (buffer, newValue) in context.BufferUpdates)
                {
                    builder.Output(newValue, "new." + buffer.Name, context.Bind(buffer));
                }
            });
            var forward = context.Builder.Build();
            var (graph, executable) = Compiler.Compile(forward, [new AutodiffPass(_parameters.Select(p => p.Name).ToArray(), 0, context.Constants), _update], _options);
            int Output(string name) => Enumerable.Range(0, graph.Outputs.Count).FirstOrDefault(o => graph.OutputName(o) == name, -1);
            var gradients = Options.ReturnGradients ? _parameters.Select(p => (p.Name, Output("grad." + p.Name))).ToArray() : [];
            return new Compiled(forward, graph, executable, context.RandomBlocks, Output("loss"), Output("grad_norm"), gradients,
                [.. Enumerable.Range(0, outputCount).Select(k => Output($"output{k}"))]);
        }
        finally
        {
            Model.Train(wasTraining);
        }
    }

    /// <summary>Runs one step on <paramref name="batch"/> (in <see cref="InputNames"/> order) under the step's lock.</summary>
    private StepResult Execute(IReadOnlyList<HostTensor> batch, SourceLoc caller)
    {
        lock (_lock)
        {
            var compiled = _compiled.For(batch, caller);
            double learningRate = Optimizer.LearningRate;
            var perCall = new List<(string, HostTensor)>(batch.Count + 2)
            {
                ("lr", HostTensor.FromScalar(Scalar.FromDouble(_learningRateDType, learningRate))),
                ("rng.offset", HostTensor.FromScalar(Scalar.FromInt64(DType.I64, _rngOffset))),
            };
            for (int i = 0; i < batch.Count; i++)
            {
                perCall.Add((_inputNames[i], batch[i]));
            }
            // Parameters and optimizer state are donated: the backend may write their new values over the old ones.
            var outputs = compiled.Executable.RunDonating(_feeds.Inputs(compiled.Graph, perCall));
            _feeds.Store(compiled.Graph, outputs);
            _rngOffset += compiled.RandomBlocks;
            return new StepResult(outputs[compiled.Loss], learningRate, Steps, compiled.GradNorm < 0 ? null : outputs[compiled.GradNorm],
                Options.ReturnGradients ? compiled.Gradients.ToDictionary(g => g.Parameter, g => outputs[g.Output]) : null,
                [.. compiled.Outputs.Select(o => outputs[o])]);
        }
    }

    public void Dispose() => _compiled.Dispose();
}

/// <summary>A <see cref="TrainStep"/> that knows its model's type (<see cref="Model"/>), as <c>Compiler.TrainStep</c> makes it.</summary>
public sealed class TrainStep<TModel> : TrainStep where TModel : Module
{
    internal TrainStep(TModel model, Func<Tensor[], (Tensor Loss, Tensor[] Outputs)> loss, Delegate? named, int skip, Optimizer optimizer, TensorType[] sampleTypes,
        CompileOptions options, StepOptions step, SourceLoc location)
        : base(model, loss, named, skip, optimizer, sampleTypes, options, step, location) => Model = model;

    /// <summary>The model this step trains.</summary>
    public new TModel Model { get; }
}
