namespace GraphDL.IR;

/// <summary>
/// Builds a <see cref="Graph"/> node by node, inferring and checking each node's type as it is added, so a
/// shape error surfaces at the line that caused it. The DSL, the parser and every transform (autodiff rules
/// included) build IR through this one type. Op-specific helpers (<c>builder.Add(x, y)</c>) are extension
/// methods defined next to each op in <c>src/IR/Ops/</c>.
/// </summary>
public sealed class GraphBuilder
{
    private readonly List<GraphInput> _inputs = [];
    private readonly List<Node> _nodes = [];
    private readonly List<GraphOutput> _outputs = [];
    private readonly HashSet<Value> _defined = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Node> _declared = new(ReferenceEqualityComparer.Instance);

    public GraphBuilder(string name) => Name = name;

    public string Name { get; }

    /// <summary>The source location given to nodes emitted from now on.</summary>
    public SourceLoc Location { get; set; } = SourceLoc.Unknown;

    public IReadOnlyList<GraphInput> Inputs => _inputs;

    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>Sets <see cref="Location"/> until the returned scope is disposed.</summary>
    public IDisposable At(SourceLoc loc)
    {
        var previous = Location;
        Location = loc;
        return new Scope(() => Location = previous);
    }

    public GraphInput AddInput(string name, TensorType type, InputRole role = InputRole.Input)
    {
        if (!Text.GirSyntax.IsIdentifier(name))
        {
            throw new ArgumentException($"input name '{name}' must be an identifier: a letter or '_' followed by letters, digits, '_' or '.'", nameof(name));
        }
        if (_inputs.Any(i => i.Name == name))
        {
            throw new ArgumentException($"graph '{Name}' already has an input named '{name}'", nameof(name));
        }
        var input = new GraphInput(name, type, role);
        _inputs.Add(input);
        _defined.Add(input);
        return input;
    }

    /// <summary>Whether <paramref name="value"/> can be used as an operand here (defined by this builder, or a literal).</summary>
    public bool IsDefined(Value value) => value is Literal || _defined.Contains(value);

    /// <summary>Adds a node, normalizing attributes and inferring its type; throws <see cref="ShapeException"/> on a bad combination.</summary>
    public Node Emit(OpDef op, IReadOnlyList<Value> operands, AttributeMap? attributes = null)
    {
        var node = Emit(op, operands, attributes ?? AttributeMap.Empty, Location);
        Append(node);
        return node;
    }

    /// <summary>A checked node at <paramref name="loc"/>, not yet appended.</summary>
    private Node Emit(OpDef op, IReadOnlyList<Value> operands, AttributeMap attributes, SourceLoc loc)
    {
        var checkedOperands = CheckOperands(op, operands, attributes, loc);
        var types = Array.ConvertAll(checkedOperands, o => o.Type);
        var normalized = AttributeSchema.Normalize(op, attributes, out var problems);
        if (problems.Count > 0)
        {
            throw new OpContext(op, types, attributes, loc).Error(problems[0].Message);
        }
        var context = new OpContext(op, types, normalized, loc);
        return new Node(op, checkedOperands, normalized, op.Infer(context), loc);
    }

    public Node Emit(OpDef op, params Value[] operands) => Emit(op, operands, null);

    /// <summary>
    /// Emits a copy of <paramref name="node"/> (its op, attributes and source location) on <paramref name="operands"/>,
    /// checked as <see cref="Emit(OpDef, IReadOnlyList{Value}, AttributeMap?)"/> checks. Where the operands have the
    /// types of the node's own, the copy has the node's type, inferred for exactly these already: every pass copies
    /// most nodes of a graph unchanged, and inferring each type again was a good part of a pass's time.
    /// </summary>
    public Node Copy(Node node, IReadOnlyList<Value> operands)
    {
        bool sameTypes = operands.Count == node.Operands.Count;
        for (int i = 0; sameTypes && i < operands.Count; i++)
        {
            sameTypes = operands[i].Type == node.Operands[i].Type;
        }
        var copy = sameTypes && ReferenceEquals(node.Attributes.NormalizedFor, node.Op)
            ? new Node(node.Op, CheckOperands(node.Op, operands, node.Attributes, node.Loc), node.Attributes, node.Type, node.Loc)
            : Emit(node.Op, operands, node.Attributes, node.Loc);
        Append(copy);
        return copy;
    }

    /// <summary>
    /// Adds a node with a declared type and no inference, for the parser: the verifier then re-infers and
    /// reports a mismatch at the declaration's line and column.
    /// </summary>
    internal Node EmitDeclared(OpDef op, IReadOnlyList<Value> operands, AttributeMap attributes, TensorType declared, SourceLoc loc)
    {
        var node = new Node(op, operands.ToArray(), attributes, declared, loc);
        Append(node);
        _declared.Add(node);
        return node;
    }

    /// <summary>
    /// Re-emits every node of <paramref name="graph"/> into this builder, with <paramref name="arguments"/> standing
    /// for its inputs and each node keeping its source location. Returns the new value of each old value (inputs
    /// and nodes), so a transform can copy a graph and then extend it.
    /// </summary>
    public IReadOnlyDictionary<Value, Value> Inline(Graph graph, IReadOnlyList<Value> arguments)
    {
        if (arguments.Count != graph.Inputs.Count)
        {
            throw new ArgumentException($"@{graph.Name} takes {graph.Inputs.Count} inputs, {arguments.Count} given", nameof(arguments));
        }
        var map = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < arguments.Count; i++)
        {
            map[graph.Inputs[i]] = arguments[i];
        }
        foreach (var node in graph.Nodes)
        {
            map[node] = Copy(node, node.Operands.Select(o => o is Literal ? o : map[o]).ToArray());
        }
        return map;
    }

    /// <summary>An immediate scalar splatted to <paramref name="type"/> (its dtype is converted to the type's).</summary>
    public Literal Literal(Scalar value, TensorType type) => new(value.CastTo(type.DType), type);

    public void Output(Value value, string? name = null, GraphInput? aliases = null)
    {
        if (!IsDefined(value))
        {
            throw new ArgumentException("output value is not defined in this graph", nameof(value));
        }
        _outputs.Add(new GraphOutput(value, name, aliases));
    }

    /// <summary>Finishes the graph and runs the verifier on it.</summary>
    public Graph Build()
    {
        var graph = BuildUnverified();
        // Emitted nodes were checked one by one as they were made; declared ones (the parser's) are checked here.
        Verification.Verifier.Verify(graph, _declared.Count == 0 ? static _ => true : node => !_declared.Contains(node)).ThrowIfAny();
        return graph;
    }

    internal Graph BuildUnverified() => new(Name, _inputs.ToArray(), _nodes.ToArray(), _outputs.ToArray());

    /// <summary>The operands as an array, after checking their count, that each is defined here, and the literal rule.</summary>
    private Value[] CheckOperands(OpDef op, IReadOnlyList<Value> operands, AttributeMap attributes, SourceLoc loc)
    {
        var array = operands.ToArray();
        string? problem = array.Length < op.MinOperands || array.Length > op.MaxOperands ? $"takes {Arity(op)}, got {array.Length}" : null;
        foreach (var operand in array)
        {
            problem ??= !IsDefined(operand) ? "an operand comes from another graph (or a trace that has ended)"
                : operand is Literal && !op.Has(OpTraits.Elementwise) ? "literal operands are only allowed on elementwise ops"
                : null;
        }
        return problem is null ? array : throw new OpContext(op, Array.ConvertAll(array, o => o.Type), attributes, loc).Error(problem);
    }

    internal static string Arity(OpDef op) =>
        op.MaxOperands == int.MaxValue ? $"at least {op.MinOperands} operands"
        : op.MinOperands == op.MaxOperands ? $"{op.MinOperands} operand{(op.MinOperands == 1 ? "" : "s")}"
        : $"{op.MinOperands} to {op.MaxOperands} operands";

    private void Append(Node node)
    {
        _nodes.Add(node);
        _defined.Add(node);
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
