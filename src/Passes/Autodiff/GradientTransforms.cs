using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Passes.Autodiff;

/// <summary>
/// Graph-to-graph autodiff: copy a graph and extend it with derivative outputs. The copies keep input names,
/// roles, output names and aliases; derivative outputs are named <c>grad.NAME</c> / <c>tangent.NAME</c>.
/// </summary>
public static class GradientTransforms
{
    /// <summary>
    /// The joint forward+backward graph of a scalar loss: the original outputs followed by the gradient of output
    /// <paramref name="lossOutput"/> (a float rank-0 value) with respect to each input named in <paramref name="wrt"/>.
    /// </summary>
    /// <param name="graph">The forward graph.</param>
    /// <param name="wrt">Names of the inputs to differentiate with respect to.</param>
    /// <param name="lossOutput">Index of the float scalar output.</param>
    /// <param name="constants">Nodes of <paramref name="graph"/> to treat as constants (computed under NoGrad).</param>
    /// <param name="name">Name of the result graph (default: the input's name + <c>.grad</c>).</param>
    public static Graph Gradient(Graph graph, IReadOnlyList<string> wrt, int lossOutput = 0, IReadOnlySet<Node>? constants = null, string? name = null)
    {
        var loss = graph.Outputs[lossOutput].Value;
        if (loss.Type.Rank != 0 || !loss.Type.DType.IsFloat())
        {
            throw new ArgumentException($"output {graph.OutputName(lossOutput)} of @{graph.Name} is {loss.Type}; a gradient needs a float scalar (use Vjp for other outputs)");
        }
        return Build(graph, name ?? graph.Name + ".grad", wrt, (builder, map, targets) =>
        {
            var seed = builder.Filled(loss.Type, 1.0);
            var constantNodes = constants is null ? null
                : constants.Select(n => map[n]).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
            var grads = ReverseMode.Backpropagate(builder, builder.Nodes.ToArray(), [(map[loss], seed)], targets,
                constantNodes is null ? null : constantNodes.Contains);
            return targets.Select((t, i) => ($"grad.{wrt[i]}", grads.TryGetValue(t, out var g) ? g : builder.Zeros(t.Type))).ToArray();
        });
    }

    /// <summary>
    /// The vector-Jacobian product: adds an input <c>cotangent.OUT</c> for every float output and outputs the
    /// cotangent of each input named in <paramref name="wrt"/>.
    /// </summary>
    public static Graph Vjp(Graph graph, IReadOnlyList<string> wrt) =>
        Build(graph, graph.Name + ".vjp", wrt, (builder, map, targets) =>
        {
            var seeds = new List<(Value, Value)>();
            for (int o = 0; o < graph.Outputs.Count; o++)
            {
                var output = graph.Outputs[o].Value;
                if (output.Type.DType.IsFloat())
                {
                    seeds.Add((output is Literal ? output : map[output], builder.AddInput($"cotangent.{graph.OutputName(o)}", output.Type)));
                }
            }
            var grads = ReverseMode.Backpropagate(builder, builder.Nodes.ToArray(), seeds, targets);
            return targets.Select((t, i) => ($"grad.{wrt[i]}", grads.TryGetValue(t, out var g) ? g : builder.Zeros(t.Type))).ToArray();
        });

    /// <summary>
    /// The Jacobian-vector product: adds an input <c>tangent.NAME</c> for every input named in <paramref name="wrt"/>
    /// and outputs the tangent of every float output.
    /// </summary>
    public static Graph Jvp(Graph graph, IReadOnlyList<string> wrt) =>
        Build(graph, graph.Name + ".jvp", wrt, (builder, map, targets) =>
        {
            var tangents = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < targets.Count; i++)
            {
                tangents[targets[i]] = builder.AddInput($"tangent.{wrt[i]}", targets[i].Type);
            }
            var result = ForwardMode.Propagate(builder, builder.Nodes.ToArray(), tangents);
            var outputs = new List<(string, Value)>();
            for (int o = 0; o < graph.Outputs.Count; o++)
            {
                var output = graph.Outputs[o].Value;
                if (output.Type.DType.IsFloat())
                {
                    var mapped = output is Literal ? output : map[output];
                    outputs.Add(($"tangent.{graph.OutputName(o)}", result.TryGetValue(mapped, out var t) ? t : builder.Zeros(output.Type)));
                }
            }
            return outputs;
        });

    private static Graph Build(Graph graph, string name, IReadOnlyList<string> wrt,
        Func<GraphBuilder, IReadOnlyDictionary<Value, Value>, IReadOnlyList<GraphInput>, IReadOnlyList<(string Name, Value Value)>> extend)
    {
        var builder = new GraphBuilder(name);
        var inputs = graph.Inputs.Select(i => builder.AddInput(i.Name, i.Type, i.Role)).ToArray();
        var targets = wrt.Select(w => Array.Find(inputs, i => i.Name == w)
            ?? throw new ArgumentException($"@{graph.Name} has no input %{w}")).ToArray();
        var map = builder.Inline(graph, inputs);
        var extra = extend(builder, map, targets);
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            var output = graph.Outputs[o];
            var aliases = output.Aliases is null ? null : inputs[graph.Inputs.ToList().IndexOf(output.Aliases)];
            builder.Output(output.Value is Literal ? output.Value : map[output.Value], output.Name ?? $"out{o}", aliases);
        }
        foreach (var (outputName, value) in extra)
        {
            builder.Output(value, outputName);
        }
        return builder.Build();
    }
}
