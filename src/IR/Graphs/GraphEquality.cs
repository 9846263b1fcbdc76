namespace GraphDL.IR;

/// <summary>
/// Structural equality of graphs, independent of the text form: same name, inputs (name, type, role), nodes in the
/// same order with the same ops, attributes, types, source locations and operand wiring, and the same outputs.
/// Nested bodies (<see cref="GraphAttr"/>) are compared the same way, recursively.
/// Used by round-trip tests and by passes to tell whether they changed anything.
/// </summary>
public static class GraphEquality
{
    public static bool AreEqual(Graph a, Graph b) => FirstDifference(a, b) is null;

    /// <summary>A description of the first difference, or null when the graphs are structurally equal.</summary>
    public static string? FirstDifference(Graph a, Graph b) =>
        a.Name != b.Name ? $"graph names differ: @{a.Name} vs @{b.Name}" : FirstBodyDifference(a, b);

    /// <summary>
    /// As <see cref="FirstDifference"/> but ignoring the graphs' own names: a nested body has none in the text form,
    /// so two bodies are equal when everything else is.
    /// </summary>
    public static string? FirstBodyDifference(Graph a, Graph b)
    {
        if (a.Inputs.Count != b.Inputs.Count)
        {
            return $"input counts differ: {a.Inputs.Count} vs {b.Inputs.Count}";
        }
        // A value's position: input i is i, node n is inputs + n (compared as numbers; named only in a difference).
        var ids = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var idsB = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        int inputs = a.Inputs.Count;
        for (int i = 0; i < inputs; i++)
        {
            GraphInput x = a.Inputs[i], y = b.Inputs[i];
            if (x.Name != y.Name || x.Type != y.Type || x.Role != y.Role)
            {
                return $"input {i} differs: {x} vs {y}";
            }
            ids[x] = idsB[y] = i;
        }
        if (a.Nodes.Count != b.Nodes.Count)
        {
            return $"node counts differ: {a.Nodes.Count} vs {b.Nodes.Count}";
        }
        bool Same(Value? p, Value? q)
        {
            if (p is null || q is null)
            {
                return p is null && q is null;
            }
            if (p is Literal || q is Literal)
            {
                return p is Literal l && q is Literal m && l.Scalar == m.Scalar && l.Type == m.Type;
            }
            return ids.TryGetValue(p, out var i) && idsB.TryGetValue(q, out var k) && i == k;
        }
        string Id(Dictionary<Value, int> map, Value v) =>
            v is Literal l ? $"literal {l.Scalar} : {l.Type}"
            : !map.TryGetValue(v, out var id) ? "undefined value"
            : id < inputs ? $"input {id}" : $"node {id - inputs}";
        for (int n = 0; n < a.Nodes.Count; n++)
        {
            Node x = a.Nodes[n], y = b.Nodes[n];
            if (x.Op == y.Op && BodyDifference(x.Attributes, y.Attributes) is { } body)
            {
                return $"node {n} ({x.Op.Name}) {body}";
            }
            if (x.Op != y.Op || x.Type != y.Type || x.Loc != y.Loc || !SameAttributesBesideBodies(x.Attributes, y.Attributes))
            {
                return $"node {n} differs: {x.Op.Name}{x.Attributes} : {x.Type} at {x.Loc} vs {y.Op.Name}{y.Attributes} : {y.Type} at {y.Loc}";
            }
            if (x.Operands.Count != y.Operands.Count)
            {
                return $"node {n} ({x.Op.Name}) has {x.Operands.Count} vs {y.Operands.Count} operands";
            }
            for (int k = 0; k < x.Operands.Count; k++)
            {
                if (!Same(x.Operands[k], y.Operands[k]))
                {
                    return $"node {n} ({x.Op.Name}) operand {k} differs: {Id(ids, x.Operands[k])} vs {Id(idsB, y.Operands[k])}";
                }
            }
            ids[x] = idsB[y] = inputs + n;
        }
        if (a.Outputs.Count != b.Outputs.Count)
        {
            return $"output counts differ: {a.Outputs.Count} vs {b.Outputs.Count}";
        }
        for (int o = 0; o < a.Outputs.Count; o++)
        {
            GraphOutput x = a.Outputs[o], y = b.Outputs[o];
            if (!Same(x.Value, y.Value) || x.Name != y.Name || !Same(x.Aliases, y.Aliases))
            {
                string p = Id(ids, x.Value), q = Id(idsB, y.Value);
                string? pa = x.Aliases is null ? null : Id(ids, x.Aliases), qa = y.Aliases is null ? null : Id(idsB, y.Aliases);
                return $"output {o} differs: {x.Name ?? "(unnamed)"} = {p} aliases {pa ?? "nothing"} vs {y.Name ?? "(unnamed)"} = {q} aliases {qa ?? "nothing"}";
            }
        }
        return null;
    }

    /// <summary>The first difference between same-named nested bodies of two attribute maps, or null.</summary>
    private static string? BodyDifference(AttributeMap a, AttributeMap b)
    {
        foreach (var (name, attr) in a)
        {
            if (attr is GraphAttr x && b.Find(name) is GraphAttr y && FirstBodyDifference(x.Value, y.Value) is { } difference)
            {
                return $"{name}: {difference}";
            }
        }
        return null;
    }

    /// <summary>
    /// Equal attribute names in the same order and equal values, bodies aside (<see cref="BodyDifference"/> has compared
    /// them): comparing them again here would make nested bodies cost exponential time in their depth.
    /// </summary>
    private static bool SameAttributesBesideBodies(AttributeMap a, AttributeMap b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key
            && (p.First.Value is GraphAttr ? p.Second.Value is GraphAttr : p.First.Value.Equals(p.Second.Value)));
}
