using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL;

/// <summary>How graphs are compiled and run.</summary>
public sealed record CompileOptions
{
    /// <summary>The backend that runs the graphs (today the reference interpreter).</summary>
    public IBackend Backend { get; init; } = ReferenceBackend.Instance;

    /// <summary>Seed of the Philox stream used by dropout and other random ops.</summary>
    public long Seed { get; init; }
}

/// <summary>
/// Builds whole programs from models: a training step (forward, backward and optimizer update in one graph) and
/// an inference function. The API does not depend on the backend that runs them.
/// </summary>
public static class Compiler
{
    /// <summary>
    /// Traces one training step of <paramref name="model"/> for inputs shaped like the samples: the loss, its
    /// gradients with respect to every parameter, and the optimizer's update, all in one graph whose outputs update
    /// the parameters, buffers and optimizer state in place.
    /// </summary>
    public static TrainStep<TModel> TrainStep<TModel>(TModel model, Func<TModel, Tensor, Tensor, Tensor> loss, Optimizer optimizer,
        HostTensor sampleX, HostTensor sampleY, CompileOptions? options = null) where TModel : Module =>
        new(model, loss, optimizer, sampleX.Type, sampleY.Type, options ?? new CompileOptions());

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
}

/// <summary>Feeds a compiled graph: where each input's value comes from, and where each aliased output goes.</summary>
internal sealed class Feeds
{
    private readonly Dictionary<GraphInput, Func<HostTensor>> _sources = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<GraphInput, Action<HostTensor>> _sinks = new(ReferenceEqualityComparer.Instance);

    public void Source(GraphInput input, Func<HostTensor> value) => _sources[input] = value;

    public void Sink(GraphInput input, Action<HostTensor> store) => _sinks[input] = store;

    public HostTensor[] Inputs(Graph graph) => graph.Inputs.Select(i => _sources.TryGetValue(i, out var source)
        ? source()
        : throw new InvalidOperationException($"no value for input %{i.Name}")).ToArray();

    /// <summary>Stores every output that aliases an input back into its owner.</summary>
    public void Store(Graph graph, IReadOnlyList<HostTensor> outputs)
    {
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            if (graph.Outputs[o].Aliases is { } target)
            {
                _sinks[target](outputs[o]);
            }
        }
    }

    /// <summary>Binds every parameter and buffer the trace used to its <see cref="Parameter.Data"/>.</summary>
    public void BindParameters(TraceContext context)
    {
        foreach (var (parameter, input) in context.Bound)
        {
            Source(input, () => parameter.Data);
            Sink(input, value => parameter.Data = value);
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

/// <summary>One compiled training step. <see cref="Run"/> updates the model's parameters and returns the loss.</summary>
public sealed class TrainStep<TModel> : IDisposable where TModel : Module
{
    private readonly IExecutable _executable;
    private readonly Feeds _feeds = new();
    private readonly TensorType _xType, _yType;
    private readonly Optimizer _optimizer;
    private readonly long _randomBlocks;
    private HostTensor _x = null!, _y = null!;
    private long _rngOffset;

    internal TrainStep(TModel model, Func<TModel, Tensor, Tensor, Tensor> loss, Optimizer optimizer, TensorType xType, TensorType yType, CompileOptions options)
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
        var state = new List<Parameter>();
        var context = Compiler.TraceWith("train_step", context =>
        {
            var builder = context.Builder;
            foreach (var p in parameters.Concat(model.Buffers()))
            {
                context.Bind(p);
            }
            var optimizerState = parameters.Select(p => optimizer.StateFor(p)
                .Select(s => new Parameter($"{optimizer.GetType().Name.ToLowerInvariant()}.{p.Name}.{s.Name}", s.Initial, InputRole.State))
                .ToArray()).ToArray();
            var stepCount = new Parameter("optimizer.step", HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 0)), InputRole.State);
            state.AddRange(optimizerState.SelectMany(s => s));
            state.Add(stepCount);
            foreach (var s in state)
            {
                context.Bind(s);
            }
            var x = new Tensor(context, builder.AddInput("x", xType));
            var y = new Tensor(context, builder.AddInput("y", yType));
            var lrInput = builder.AddInput("lr", new TensorType(dtype, Shape.Scalar));
            _feeds.Source(lrInput, () => HostTensor.FromScalar(Scalar.FromDouble(dtype, _optimizer.LearningRate)));
            _feeds.Source((GraphInput)x.Value, () => _x);
            _feeds.Source((GraphInput)y.Value, () => _y);
            var lr = new Tensor(context, lrInput);

            var value = loss(model, x, y);
            if (value.Rank != 0 || !value.DType.IsFloat())
            {
                throw new ArgumentException($"the loss must be a float scalar, got {value.Type}", nameof(loss));
            }
            builder.Output(value.Value, "loss");
            var grads = Autodiff.Grad(value, parameters.Select(p => p.Tensor).ToArray());
            var nextStep = stepCount.Tensor + 1L;
            var stepAsFloat = nextStep.To(dtype);
            for (int i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                var (updated, newState) = optimizer.Update(p.Tensor, grads[i], optimizerState[i].Select(s => s.Tensor).ToArray(), lr, stepAsFloat);
                builder.Output(updated.Value, "new." + p.Name, context.Bind(p));
                for (int k = 0; k < newState.Count; k++)
                {
                    builder.Output(newState[k].Value, "new." + optimizerState[i][k].Name, context.Bind(optimizerState[i][k]));
                }
            }
            foreach (var (buffer, newValue) in context.BufferUpdates)
            {
                builder.Output(newValue, "new." + buffer.Name, context.Bind(buffer));
            }
            builder.Output(nextStep.Value, "new.optimizer.step", context.Bind(stepCount));
        });
        Graph = context.Builder.Build();
        _feeds.BindParameters(context);
        _randomBlocks = context.RandomBlocks;
        if (Graph.FindInput("rng.seed") is { } seed)
        {
            _feeds.Source(seed, () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, options.Seed)));
            _feeds.Source(Graph.FindInput("rng.offset")!, () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, _rngOffset)));
        }
        _executable = options.Backend.Compile(Graph);
    }

    public TModel Model { get; }

    /// <summary>The joint forward + backward + update graph.</summary>
    public Graph Graph { get; }

    /// <summary>Runs one step on a batch: updates parameters, buffers and optimizer state; returns the loss.</summary>
    public float Run(HostTensor x, HostTensor y)
    {
        Feeds.CheckInput("x", _xType, x);
        Feeds.CheckInput("y", _yType, y);
        (_x, _y) = (x, y);
        var outputs = _executable.Run(_feeds.Inputs(Graph));
        _feeds.Store(Graph, outputs);
        _rngOffset += _randomBlocks;
        return (float)outputs[0].GetDouble(0);
    }

    public void Dispose() => _executable.Dispose();
}

/// <summary>A compiled forward pass (evaluation mode, no gradients). Reads the model's current parameters on every call.</summary>
public sealed class InferenceFunction : IDisposable
{
    private readonly IExecutable _executable;
    private readonly Feeds _feeds = new();
    private readonly TensorType _xType;
    private HostTensor _x = null!;

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
                _feeds.Source((GraphInput)x.Value, () => _x);
                using (context.EnterNoGrad())
                {
                    context.Builder.Output(model.Forward(x).Value, "y");
                }
            });
            Graph = context.Builder.Build();
            _feeds.BindParameters(context);
            if (Graph.FindInput("rng.seed") is { } seed)
            {
                _feeds.Source(seed, () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, options.Seed)));
                _feeds.Source(Graph.FindInput("rng.offset")!, () => HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 0)));
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        _executable = options.Backend.Compile(Graph);
    }

    public Graph Graph { get; }

    public HostTensor Run(HostTensor x)
    {
        Feeds.CheckInput("x", _xType, x);
        _x = x;
        return _executable.Run(_feeds.Inputs(Graph))[0];
    }

    public void Dispose() => _executable.Dispose();
}
