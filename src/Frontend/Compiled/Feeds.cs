using GraphDL.IR;

namespace GraphDL;

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
    public HostTensor[] Inputs(Graph graph, IReadOnlyList<(string Name, HostTensor Value)> perCall)
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
}
