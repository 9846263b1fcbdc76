using GraphDL.IR;
using GraphDL.Passes;

namespace GraphDL;

/// <summary>
/// The update pass of a training pipeline: takes the joint graph from <c>autodiff</c> (outputs <c>grad.NAME</c>
/// per parameter) and replaces the gradients by the optimizer's update, adding the optimizer's state, the step
/// count (<c>optimizer.step</c>) and the learning rate (<c>lr</c>) as inputs. The new parameters and state are
/// outputs that alias their inputs: the step updates them in place. With <see cref="StepOptions.ClipGradNorm"/> the
/// gradients are clipped by their global norm first (output <c>grad_norm</c>: the norm before clipping); with
/// <see cref="StepOptions.ReturnGradients"/> the gradients the update used stay outputs (<c>grad.NAME</c>).
/// </summary>
public sealed class OptimizerPass : IPass
{
    private readonly Optimizer _optimizer;
    private readonly Parameter[] _parameters;
    private readonly SourceLoc _location;
    private readonly StepOptions _options;

    /// <param name="optimizer">The update rule.</param>
    /// <param name="parameters">The parameters it updates (graph inputs of the same names).</param>
    /// <param name="location">The source line the update nodes are attributed to (where the training step was made).</param>
    /// <param name="options">Gradient clipping, and whether the gradients stay outputs.</param>
    public OptimizerPass(Optimizer optimizer, IReadOnlyList<Parameter> parameters, SourceLoc location = default, StepOptions? options = null)
    {
        _options = options ?? new StepOptions();
        _location = location.File is null ? SourceLoc.Unknown : location;
        _optimizer = optimizer;
        _parameters = parameters.ToArray();
        var prefix = optimizer.GetType().Name.ToLowerInvariant();
        State = _parameters
            .SelectMany(p => optimizer.StateFor(p).Select(s => new Parameter($"{prefix}.{p.Name}.{s.Name}", s.Initial, InputRole.State)))
            .Append(new Parameter("optimizer.step", HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 0)), InputRole.State))
            .ToArray();
    }

    public string Name => "optimizer";

    public string Description => $"apply the {_optimizer.GetType().Name} update to each parameter from its gradient";

    /// <summary>The state inputs this pass adds, with their initial values (the step count last).</summary>
    public IReadOnlyList<Parameter> State { get; }

    public Graph Run(Graph graph)
    {
        var builder = new GraphBuilder(graph.Name);
        var inputs = graph.Inputs.Select(i => builder.AddInput(i.Name, i.Type, i.Role)).ToArray();
        var map = builder.Inline(graph, inputs);
        var context = new TraceContext(builder);
        var stateInputs = State.ToDictionary(s => s.Name, s => builder.AddInput(s.Name, s.Type, InputRole.State));
        var dtype = _parameters[0].Type.DType;
        var lr = new Tensor(context, builder.AddInput("lr", new TensorType(dtype, Shape.Scalar)));
        var grads = new Dictionary<string, Value>();
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            var output = graph.Outputs[o];
            var value = output.Value is Literal ? output.Value : map[output.Value];
            if (graph.OutputName(o).StartsWith("grad.", StringComparison.Ordinal))
            {
                grads[graph.OutputName(o)["grad.".Length..]] = value;
            }
            else
            {
                builder.Output(value, output.Name, output.Aliases is null ? null : inputs[graph.Inputs.ToList().IndexOf(output.Aliases)]);
            }
        }
        var stepCount = stateInputs["optimizer.step"];
        var previous = TraceContext.Current;
        TraceContext.Current = context;
        using var scope = context.At(_location.File, _location.Line);
        try
        {
            var nextStep = new Tensor(context, stepCount) + 1L;
            var stepAsFloat = nextStep.To(dtype);
            var prefix = _optimizer.GetType().Name.ToLowerInvariant();
            var gradients = _parameters.Select(p => new Tensor(context, grads.TryGetValue(p.Name, out var g) ? g
                : throw new InvalidOperationException($"@{graph.Name} has no output grad.{p.Name}; run the autodiff pass first"))).ToArray();
            if (_options.ClipGradNorm is { } maxNorm)
            {
                (gradients, var norm) = F.ClipGradNorm(gradients, maxNorm, _options.ClipNormType);
                builder.Output(norm.Value, "grad_norm");
            }
            for (int k = 0; k < _parameters.Length; k++)
            {
                var p = _parameters[k];
                var input = Array.Find(inputs, i => i.Name == p.Name)
                    ?? throw new InvalidOperationException($"@{graph.Name} has no input for parameter {p.Name}");
                if (_options.ReturnGradients)
                {
                    builder.Output(gradients[k].Value, "grad." + p.Name);
                }
                var names = _optimizer.StateFor(p).Select(s => $"{prefix}.{p.Name}.{s.Name}").ToArray();
                var (updated, newState) = _optimizer.Update(new Tensor(context, input), gradients[k],
                    names.Select(n => new Tensor(context, stateInputs[n])).ToArray(), lr, stepAsFloat);
                builder.Output(updated.Value, "new." + p.Name, input);
                for (int j = 0; j < names.Length; j++)
                {
                    builder.Output(newState[j].Value, "new." + names[j], stateInputs[names[j]]);
                }
            }
            builder.Output(nextStep.Value, "new.optimizer.step", stepCount);
        }
        finally
        {
            TraceContext.Current = previous;
        }
        return builder.Build();
    }
}
