using System.Text;

namespace GraphDL.IR.Text;

/// <summary>
/// Prints a graph in the canonical <c>.gir</c> form. Deterministic: inputs keep their names, node results are
/// numbered <c>%0, %1, ...</c> in order, attributes appear in the op's declared order, and <c>loc(...)</c> is
/// aligned at a fixed column. <see cref="GirParser"/> reads it back to an equal graph.
/// </summary>
public static class GirPrinter
{
    public static string Print(Graph graph)
    {
        var names = new Dictionary<Value, string>(ReferenceEqualityComparer.Instance);
        foreach (var input in graph.Inputs)
        {
            names[input] = "%" + input.Name;
        }
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            names[graph.Nodes[i]] = "%" + i;
        }
        string Name(Value value) => value is Literal literal ? literal.Scalar.ToString()
            : names.TryGetValue(value, out var name) ? name : "%<undefined>";

        var text = new StringBuilder();
        text.Append("graph @").Append(graph.Name).Append('(');
        text.AppendJoin(", ", graph.Inputs.Select(i => $"%{i.Name}: {i.Type} {GirSyntax.FormatRole(i.Role)}"));
        text.Append(") -> (");
        text.AppendJoin(", ", graph.Outputs.Select(o =>
            (o.Name is null ? "" : o.Name + ": ") + o.Value.Type + (o.Aliases is null ? "" : $" aliases %{o.Aliases.Name}")));
        text.Append(") {\n");
        foreach (var node in graph.Nodes)
        {
            var line = new StringBuilder("  ");
            line.Append(names[node]).Append(" = ").Append(node.Op.Name).Append('(');
            line.AppendJoin(", ", node.Operands.Select(Name));
            line.Append(')');
            if (node.Attributes.Count > 0)
            {
                line.Append(' ').Append(node.Attributes);
            }
            line.Append(" : ").Append(node.Type);
            if (node.Loc.IsKnown)
            {
                line.Append(' ', Math.Max(2, GirSyntax.LocColumn - line.Length));
                line.Append("loc(").Append(GirSyntax.Quote(node.Loc.File)).Append(':').Append(node.Loc.Line).Append(')');
            }
            text.Append(line).Append('\n');
        }
        text.Append("  return");
        if (graph.Outputs.Count > 0)
        {
            text.Append(' ').AppendJoin(", ", graph.Outputs.Select(o => Name(o.Value)));
        }
        text.Append("\n}\n");
        return text.ToString();
    }

    /// <summary>Prints several graphs, separated by blank lines, as one module file.</summary>
    public static string Print(IEnumerable<Graph> graphs) => string.Join("\n", graphs.Select(Print));
}
