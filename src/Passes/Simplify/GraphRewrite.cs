using GraphDL.IR;

namespace GraphDL.Passes.Simplify;

/// <summary>
/// The copy that every simplification pass makes: a new <see cref="GraphBuilder"/> with the source graph's inputs
/// (same names, types and roles, in order), a map from each old value to its new value, and at the end the source's
/// outputs (same names and aliases) read through that map. A pass walks the old nodes in order, decides what each
/// becomes, and records it with <see cref="Map"/>; the input graph is never touched.
/// </summary>
internal sealed class GraphRewrite
{
    private readonly Graph _source;
    private readonly Dictionary<Value, Value> _map = new(ReferenceEqualityComparer.Instance);
    private readonly GraphInput[] _inputs;

    public GraphRewrite(Graph source)
    {
        _source = source;
        Builder = new GraphBuilder(source.Name);
        _inputs = source.Inputs.Select(i => Builder.AddInput(i.Name, i.Type, i.Role)).ToArray();
        for (int i = 0; i < _inputs.Length; i++)
        {
            _map[source.Inputs[i]] = _inputs[i];
        }
    }

    public GraphBuilder Builder { get; }

    /// <summary>The new value standing for <paramref name="old"/> (literals stand for themselves).</summary>
    public Value this[Value old] => old is Literal ? old : _map[old];

    /// <summary>The new values of <paramref name="node"/>'s operands.</summary>
    public Value[] Operands(Node node) => node.Operands.Select(o => this[o]).ToArray();

    /// <summary>Records that <paramref name="old"/> is now <paramref name="replacement"/>.</summary>
    public void Map(Value old, Value replacement) => _map[old] = replacement;

    /// <summary>Emits a node at <paramref name="loc"/> (the source location of the node it replaces or copies).</summary>
    public Node Emit(SourceLoc loc, OpDef op, IReadOnlyList<Value> operands, AttributeMap attributes)
    {
        using (Builder.At(loc))
        {
            return Builder.Emit(op, operands, attributes);
        }
    }

    /// <summary>Copies <paramref name="node"/> unchanged (new operands, same op, attributes and location) and maps it to the copy.</summary>
    public Node Copy(Node node)
    {
        var copy = Builder.Copy(node, Operands(node));
        Map(node, copy);
        return copy;
    }

    /// <summary>Adds the source's outputs, read through the map, and builds (and verifies) the new graph.</summary>
    public Graph Finish()
    {
        foreach (var output in _source.Outputs)
        {
            var aliases = output.Aliases is null ? null : _inputs[IndexOfInput(output.Aliases)];
            Builder.Output(this[output.Value], output.Name, aliases);
        }
        return Builder.Build();
    }

    private int IndexOfInput(GraphInput input)
    {
        for (int i = 0; i < _source.Inputs.Count; i++)
        {
            if (ReferenceEquals(_source.Inputs[i], input))
            {
                return i;
            }
        }
        throw new ArgumentException($"output aliases %{input.Name}, which is not an input of @{_source.Name}");
    }
}
