namespace GraphDL.IR;

/// <summary>
/// A static, typed dataflow graph: named inputs, nodes in topological order, and outputs. Outputs may alias a
/// param or state input, meaning "this output is the new value of that input, updated in place" (JAX's donated
/// buffers). Graphs are immutable; build them with <see cref="GraphBuilder"/> or <see cref="Text.GirParser"/>.
/// </summary>
public sealed class Graph
{
    internal Graph(string name, IReadOnlyList<GraphInput> inputs, IReadOnlyList<Node> nodes, IReadOnlyList<GraphOutput> outputs)
    {
        Name = name;
        Inputs = inputs;
        Nodes = nodes;
        Outputs = outputs;
    }

    public string Name { get; }

    public IReadOnlyList<GraphInput> Inputs { get; }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<GraphOutput> Outputs { get; }

    public GraphInput? FindInput(string name) => Inputs.FirstOrDefault(i => i.Name == name);

    /// <summary>The display name of output <paramref name="index"/>: its own name, else <c>out{index}</c>.</summary>
    public string OutputName(int index) => Outputs[index].Name ?? $"out{index}";

    /// <summary>The canonical text form (see <see cref="Text.GirPrinter"/>).</summary>
    public override string ToString() => Text.GirPrinter.Print(this);
}

/// <summary>A graph output: a value, an optional name, and optionally the param/state input it updates in place.</summary>
public sealed record GraphOutput(Value Value, string? Name = null, GraphInput? Aliases = null);
