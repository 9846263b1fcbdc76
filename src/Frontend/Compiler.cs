using System.Runtime.CompilerServices;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;

namespace GraphDL;

/// <summary>How graphs are compiled and run.</summary>
public sealed record CompileOptions
{
    /// <summary>The backend that runs the graphs: <see cref="GraphDL.Backend.Cpu"/> (compiled, the default) or <see cref="GraphDL.Backend.Reference"/>.</summary>
    public IBackend Backend { get; init; } = GraphDL.Backend.Cpu;

    /// <summary>Seed of the Philox stream used by dropout and other random ops.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// The passes run after autodiff and the optimizer update, as a recipe (see <see cref="PassRegistry"/>);
    /// empty for none.
    /// </summary>
    public string Pipeline { get; init; } = Pipelines.Simplify;

    /// <summary>
    /// Instrumentation: IR printing, dumps, verification, statistics. Defaults to <see cref="PassOptions.Ambient"/>
    /// (set by <c>graphdl compile</c> around a script), else to the GRAPHDL_* environment variables.
    /// </summary>
    public PassOptions Passes { get; init; } = PassOptions.Ambient ?? PassOptions.FromEnvironment();

    /// <summary>
    /// Rematerialization (activation checkpointing) of training steps: <see cref="RematPolicy.None"/> (the default),
    /// <see cref="RematPolicy.Sqrt"/> or <see cref="RematPolicy.Budget"/>; parse <c>"none"</c>, <c>"sqrt"</c> or
    /// <c>"budget=64MB"</c> with <see cref="RematPolicy.Parse"/>. The <c>remat</c> pass runs after <see cref="Pipeline"/>
    /// (so CSE cannot merge recomputed values back); it also recomputes <c>F.Checkpoint</c> regions under any policy.
    /// Defaults to <see cref="RematPolicy.Ambient"/> (set by <c>graphdl compile --remat=</c> around a script).
    /// </summary>
    public RematPolicy Remat { get; init; } = RematPolicy.Ambient ?? RematPolicy.None;

    /// <summary>
    /// The most bytes the compiled program's arena may take (its intermediate values: parameters, optimizer state,
    /// inputs and outputs live outside it), or null for no limit. With <see cref="Remat"/> at <c>none</c>, the
    /// <c>remat</c> pass runs as <c>budget=MemoryBudget</c>, recomputing activations until the backend's estimated arena
    /// fits; an explicit <c>sqrt</c> or <c>budget=B</c> policy runs as given (a B below the budget leaves headroom).
    /// Either way the compiled program's own arena is checked afterwards. Compilation fails with
    /// <see cref="RematBudgetException"/> when remat finds no plan that fits, or <see cref="MemoryBudgetException"/>
    /// when the program's arena exceeds the budget; both name the budget, the arena, and the values live at the peak.
    /// Backends that plan no arena (the reference interpreter) get the remat pass only.
    /// </summary>
    public long? MemoryBudget
    {
        get;
        init => field = value is <= 0 ? throw new ArgumentOutOfRangeException(nameof(MemoryBudget), $"a memory budget must be positive, got {value}") : value;
    }

    /// <summary>The policy the <c>remat</c> pass runs with: <see cref="Remat"/>, or <c>budget=</c><see cref="MemoryBudget"/> in place of <c>none</c>.</summary>
    public RematPolicy EffectiveRemat => MemoryBudget is { } budget && Remat.Kind == RematKind.None ? RematPolicy.Budget(budget) : Remat;
}

/// <summary>
/// Builds whole programs from models: a training step (forward, backward and optimizer update in one graph) and
/// an inference function. The API does not depend on the backend that runs them.
/// </summary>
public static class Compiler
{
    /// <summary>
    /// Compiles one training step of <paramref name="model"/> for inputs shaped like the samples. The pipeline is
    /// visible pass by pass (<see cref="CompileOptions.Passes"/>): the traced forward graph (the loss) →
    /// <c>autodiff</c> (gradients w.r.t. every parameter) → <c>optimizer</c> (the update, with its state) → the
    /// simplification passes. The result's outputs update parameters, buffers and optimizer state in place.
    /// </summary>
    public static TrainStep<TModel> TrainStep<TModel>(TModel model, Func<TModel, Tensor, Tensor, Tensor> loss, Optimizer optimizer,
        HostTensor sampleX, HostTensor sampleY, CompileOptions? options = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, loss, optimizer, sampleX.Type, sampleY.Type, options ?? new CompileOptions(), new SourceLoc(Path.GetFileName(file), line));

    /// <summary>Traces <paramref name="model"/>'s forward pass in evaluation mode with no gradients, for inputs shaped like <paramref name="sampleX"/>.</summary>
    public static InferenceFunction Inference(Module model, HostTensor sampleX, CompileOptions? options = null) =>
        new(model, sampleX.Type, options ?? new CompileOptions());

    /// <summary>Runs <paramref name="body"/> as the trace of a new graph and returns the finished context.</summary>
    internal static TraceContext TraceWith(string name, Action<TraceContext> body)
    {
        var context = new TraceContext(name);
        var outer = TraceContext.Current;
        TraceContext.Current = context;
        try
        {
            body(context);
        }
        finally
        {
            context.Finished = true;
            TraceContext.Current = outer;
        }
        return context;
    }

    /// <summary>
    /// The recipe from a traced graph to the graph a backend compiles, one line per step; the backend's own stages
    /// follow under the same instrumentation (<see cref="IBackend.Compile(Graph, PassManager)"/>; the CPU backend's:
    /// fuse, lower, schedule, plan-memory, codegen). <c>graphdl compile</c> runs the same recipe.
    /// </summary>
    public static IReadOnlyList<IPass> Recipe(Graph traced, IEnumerable<IPass> first, CompileOptions options) =>
        Recipe(first, options, checkpointRegions: traced.Nodes.Any(n => n.Attributes.Find(AttributeSchema.CheckpointRegion) is not null));

    /// <summary>The recipe for graphs that do (<paramref name="checkpointRegions"/>) or do not mark <c>F.Checkpoint</c> regions, which remat recomputes under any policy.</summary>
    public static IReadOnlyList<IPass> Recipe(IEnumerable<IPass> first, CompileOptions options, bool checkpointRegions)
    {
        var policy = options.EffectiveRemat;
        bool remat = policy.Kind != RematKind.None || checkpointRegions;
        return
        [
            // autodiff, optimizer (a training step's): gradients and the update in one joint graph, as AOTAutograd does.
            .. first,
            // simplify (cse, dce, fold, algebra): fewer, simpler nodes for every later stage.
            .. options.Pipeline.Length == 0 ? [] : PassRegistry.Parse(options.Pipeline),
            // remat: after simplify, whose CSE would merge recomputed values back; before fusion, so recomputation fuses.
            .. remat ? [RematFor(policy, options.Backend)] : Array.Empty<IPass>(),
        ];
    }

    /// <summary>
    /// Runs <see cref="Recipe(Graph, IEnumerable{IPass}, CompileOptions)"/> on <paramref name="traced"/> and compiles the result on the configured backend under
    /// one pass manager, so dumps number the passes and the backend's stages as one sequence (in a directory of
    /// their own per compiled function, see <see cref="PassOptions.ForCompilation"/>). Returns the graph the backend
    /// compiled and its program, held to <see cref="CompileOptions.MemoryBudget"/>: a program whose arena exceeds it
    /// is disposed and reported.
    /// </summary>
    internal static (Graph Graph, IExecutable Executable) Compile(Graph traced, IEnumerable<IPass> first, CompileOptions options)
    {
        using var progress = CompileProgress.For(traced.Name);
        var manager = new PassManager(Recipe(traced, first, options), options.Passes.ForCompilation(traced.Name) with { Progress = progress.Report });
        var graph = manager.Run(traced);
        var executable = options.Backend.Compile(graph, manager);
        if (options.MemoryBudget is { } budget && executable.Memory is { } plan && plan.ArenaBytes > budget)
        {
            executable.Dispose();
            throw new MemoryBudgetException(budget, plan);
        }
        return (graph, executable);
    }

    /// <summary>The remat pass judging budgets on the arena <paramref name="backend"/>'s program will get, where it plans one.</summary>
    internal static RematPass RematFor(RematPolicy policy, IBackend backend) =>
        new(policy, graph => backend.EstimateMemory(graph) ?? MemoryEstimate.Of(graph));

    /// <summary>The arena plan of a compiled program, or null for a backend that plans none (the reference interpreter).</summary>
    internal static MemoryPlan? MemoryOf(IExecutable executable) => executable.Memory;
}

/// <summary>Feeds a compiled graph by input name: where each input's value comes from, and where each aliased output goes.</summary>
internal sealed class Feeds
{
    private readonly Dictionary<string, Func<HostTensor>> _sources = [];
    private readonly Dictionary<string, Action<HostTensor>> _sinks = [];

    public void Source(string input, Func<HostTensor> value) => _sources[input] = value;

    /// <summary>A persistent value (parameter, buffer, optimizer state): read before each run, replaced by its aliased output.</summary>
    public void Bind(Parameter parameter)
    {
        Source(parameter.Name, () => parameter.Data);
        _sinks[parameter.Name] = value => parameter.Data = value;
    }

    /// <summary>
    /// The graph's inputs in order: <paramref name="perCall"/>'s value where it names the input (the caller's batch,
    /// passed down rather than kept in a field, so concurrent calls never see each other's), else its source's.
    /// </summary>
    public HostTensor[] Inputs(Graph graph, params ReadOnlySpan<(string Name, HostTensor Value)> perCall)
    {
        var inputs = new HostTensor[graph.Inputs.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            var name = graph.Inputs[i].Name;
            HostTensor? value = null;
            foreach (var given in perCall)
            {
                if (given.Name == name)
                {
                    value = given.Value;
                }
            }
            inputs[i] = value ?? (_sources.TryGetValue(name, out var source) ? source() : throw new InvalidOperationException($"no value for input %{name}"));
        }
        return inputs;
    }

    /// <summary>Stores every output that aliases an input back into its owner.</summary>
    public void Store(Graph graph, IReadOnlyList<HostTensor> outputs)
    {
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            if (graph.Outputs[o].Aliases is { } target)
            {
                _sinks[target.Name](outputs[o]);
            }
        }
    }

    public static void CheckInput(string what, TensorType expected, HostTensor actual)
    {
        if (actual.Type != expected)
        {
            throw new ArgumentException($"{what} must be {expected} (the shape it was compiled for), got {actual.Type}");
        }
    }
}

/// <summary>
/// One compiled training step. <see cref="Run"/> updates the model's parameters and returns the loss.
/// <para>
/// Thread safety: <see cref="Run"/> may be called from many threads at once. Each call is one whole step (read the
/// parameters, run, write the new parameters and optimizer state, advance the random stream) done under this step's
/// lock, so concurrent calls take effect as if made one after another in some order, and each returns the loss of
/// its own batch. Parameters are updated in place: other functions that read the same parameters (an
/// <see cref="InferenceFunction"/> of the model) are not synchronized with this step; do not run them during it.
/// </para>
/// </summary>
public sealed class TrainStep<TModel> : IDisposable where TModel : Module
{
    private readonly IExecutable _executable;
    private readonly Feeds _feeds = new();
    private readonly TensorType _xType, _yType;
    private readonly Optimizer _optimizer;
    private readonly long _randomBlocks;
    /// <summary>Held for a whole step: the parameters it reads and donates, and <see cref="_rngOffset"/>, are shared by all calls.</summary>
    private readonly Lock _step = new();
    private long _rngOffset;

    internal TrainStep(TModel model, Func<TModel, Tensor, Tensor, Tensor> loss, Optimizer optimizer, TensorType xType, TensorType yType,
        CompileOptions options, SourceLoc location)
    {
        Model = model;
        _optimizer = optimizer;
        _xType = xType;
        _yType = yType;
        var parameters = model.Parameters().ToArray();
        if (parameters.Length == 0)
        {
            throw new ArgumentException($"{model.GetType().Name} has no parameters to train", nameof(model));
        }
        var dtype = parameters[0].Type.DType;
        var context = Compiler.TraceWith("train_step", context =>
        {
            var builder = context.Builder;
            foreach (var p in parameters.Concat(model.Buffers()))
            {
                context.Bind(p);
            }
            var x = new Tensor(context, builder.AddInput("x", xType));
            var y = new Tensor(context, builder.AddInput("y", yType));
            var value = loss(model, x, y);
            if (value.Rank != 0 || !value.DType.IsFloat())
            {
                throw new ArgumentException($"the loss must be a float scalar, got {value.Type}", nameof(loss));
            }
            builder.Output(value.Value, "loss");
            foreach (var (buffer, newValue) in context.BufferUpdates)
            {
                builder.Output(newValue, "new." + buffer.Name, context.Bind(buffer));
            }
        });
        Forward = context.Builder.Build();
        var update = new OptimizerPass(optimizer, parameters, location);
        (Graph, _executable) = Compiler.Compile(Forward, [new Passes.Autodiff.AutodiffPass(parameters.Select(p => p.Name).ToArray(), 0, context.Constants), update], options);

        foreach (var p in parameters.Concat(model.Buffers()).Concat(update.State))
        {
            _feeds.Bind(p);
        }
        _feeds.Source("lr", () => HostTensor.FromScalar(Scalar.FromDouble(dtype, _optimizer.LearningRate)));
        _randomBlocks = context.RandomBlocks;
        _feeds.Source("rng.seed", () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, options.Seed)));
        _feeds.Source("rng.offset", () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, _rngOffset)));
    }

    public TModel Model { get; }

    /// <summary>The traced forward graph (the loss), before autodiff: the pipeline's input.</summary>
    public Graph Forward { get; }

    /// <summary>The compiled joint forward + backward + update graph.</summary>
    public Graph Graph { get; }

    /// <summary>
    /// Where the compiled program keeps its intermediate values: the arena plan held to
    /// <see cref="CompileOptions.MemoryBudget"/>, or null for a backend that plans none (the reference interpreter).
    /// </summary>
    public MemoryPlan? Memory => Compiler.MemoryOf(_executable);

    /// <summary>What the backend compiled: the program's steps, kernels and memory plan; null for a backend that runs the graph itself.</summary>
    public Codegen.Programs.ProgramDescription? Program => _executable.Program;

    /// <summary>The compiled program (for tests that look inside it).</summary>
    internal IExecutable Executable => _executable;

    /// <summary>
    /// Runs one step on a batch: updates parameters, buffers and optimizer state; returns the loss. Safe from many
    /// threads at once: concurrent steps run one after another.
    /// </summary>
    public float Run(HostTensor x, HostTensor y)
    {
        Feeds.CheckInput("x", _xType, x);
        Feeds.CheckInput("y", _yType, y);
        lock (_step)
        {
            // Parameters and optimizer state are donated: the backend may write their new values over the old ones.
            var outputs = _executable.RunDonating(_feeds.Inputs(Graph, ("x", x), ("y", y)));
            _feeds.Store(Graph, outputs);
            _rngOffset += _randomBlocks;
            return (float)outputs[0].GetDouble(0);
        }
    }

    public void Dispose() => _executable.Dispose();
}

/// <summary>
/// A compiled forward pass (evaluation mode, no gradients). Reads the model's current parameters on every call.
/// <para>
/// Thread safety: <see cref="Run"/> may be called from many threads at once; each call returns the result for its
/// own input (the compiled program serializes the runs that share its buffers). Not synchronized with a
/// <see cref="TrainStep{TModel}"/> updating the same parameters.
/// </para>
/// </summary>
public sealed class InferenceFunction : IDisposable
{
    private readonly IExecutable _executable;
    private readonly Feeds _feeds = new();
    private readonly TensorType _xType;

    internal InferenceFunction(Module model, TensorType xType, CompileOptions options)
    {
        _xType = xType;
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            var context = Compiler.TraceWith("inference", context =>
            {
                foreach (var p in model.Parameters().Concat(model.Buffers()))
                {
                    context.Bind(p);
                }
                var x = new Tensor(context, context.Builder.AddInput("x", xType));
                using (context.EnterNoGrad())
                {
                    context.Builder.Output(model.Forward(x).Value, "y");
                }
            });
            (Graph, _executable) = Compiler.Compile(context.Builder.Build(), [], options);
            foreach (var p in context.Bound.Select(b => b.Key))
            {
                _feeds.Bind(p);
            }
            _feeds.Source("rng.seed", () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, options.Seed)));
            _feeds.Source("rng.offset", () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 0)));
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    public Graph Graph { get; }

    /// <summary>The compiled program's arena plan, or null for a backend that plans none (see <see cref="TrainStep{TModel}.Memory"/>).</summary>
    public MemoryPlan? Memory => Compiler.MemoryOf(_executable);

    /// <summary>What the backend compiled: the program's steps, kernels and memory plan; null for a backend that runs the graph itself.</summary>
    public Codegen.Programs.ProgramDescription? Program => _executable.Program;

    /// <summary>Runs the forward pass on <paramref name="x"/> with the model's current parameters; safe from many threads at once.</summary>
    public HostTensor Run(HostTensor x)
    {
        Feeds.CheckInput("x", _xType, x);
        return _executable.Run(_feeds.Inputs(Graph, ("x", x)))[0];
    }

    public void Dispose() => _executable.Dispose();
}
