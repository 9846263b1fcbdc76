using System.Text;

namespace GraphDL.IR.Text;

/// <summary>
/// Prints a graph in the canonical <c>.gir</c> form. Deterministic: inputs keep their names, node results are
/// numbered <c>%0, %1, ...</c> in order, attributes appear in the op's declared order, and <c>loc(...)</c> is
/// aligned at a fixed column. A nested body (<see cref="AttrKind.Graph"/>, e.g. a <c>fused</c> node's) follows the
/// node's type as an indented region with its own inputs and numbering. <see cref="GirParser"/> reads it back to an
/// equal graph.
/// </summary>
public static class GirPrinter
{
    public static string Print(Graph graph)
    {
        var text = new StringBuilder();
        text.Append("graph @").Append(graph.Name).Append('(');
        text.AppendJoin(", ", graph.Inputs.Select(i => $"%{i.Name}: {i.Type} {GirSyntax.FormatRole(i.Role)}"));
        text.Append(") -> (");
        text.AppendJoin(", ", graph.Outputs.Select(o =>
            (o.Name is null ? "" : o.Name + ": ") + o.Value.Type + (o.Aliases is null ? "" : $" aliases %{o.Aliases.Name}")));
        text.Append(") {\n");
        AppendBody(text, graph, "  ");
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>Prints several graphs, separated by blank lines, as one module file.</summary>
    public static string Print(IEnumerable<Graph> graphs) => string.Join("\n", graphs.Select(Print));

    /// <summary>
    /// A nested body as it follows its node's type, its lines indented by <paramref name="indent"/> plus two:
    /// <c>{</c>, the inputs <c>(%x: f32[4], ...)</c>, the nodes, <c>return %v</c>, and <c>}</c> at <paramref name="indent"/>.
    /// </summary>
    public static string Region(Graph body, string indent)
    {
        var text = new StringBuilder("{\n");
        string inner = indent + "  ";
        text.Append(inner).Append('(');
        text.AppendJoin(", ", body.Inputs.Select(i => $"%{i.Name}: {i.Type}"));
        text.Append(")\n");
        AppendBody(text, body, inner);
        text.Append(indent).Append('}');
        return text.ToString();
    }

    /// <summary>The nodes and the return line of one graph or body; names are scoped to it.</summary>
    private static void AppendBody(StringBuilder text, Graph graph, string indent)
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

        foreach (var node in graph.Nodes)
        {
            var line = new StringBuilder(indent);
            line.Append(names[node]).Append(" = ").Append(node.Op.Name).Append('(');
            line.AppendJoin(", ", node.Operands.Select(Name));
            line.Append(')');
            var listed = node.Attributes.Where(a => a.Value.Kind != AttrKind.Graph).ToArray();
            if (listed.Length > 0)
            {
                line.Append(' ').Append(new AttributeMap(listed));
            }
            line.Append(" : ").Append(node.Type);
            if (node.Loc.IsKnown)
            {
                line.Append(' ', Math.Max(2, GirSyntax.LocColumn - line.Length));
                line.Append("loc(").Append(GirSyntax.Quote(node.Loc.File)).Append(':').Append(node.Loc.Line).Append(')');
            }
            foreach (var (_, attribute) in node.Attributes)
            {
                if (attribute is GraphAttr body)
                {
                    line.Append(' ').Append(Region(body.Value, indent));
                }
            }
            text.Append(line).Append('\n');
        }
        text.Append(indent).Append("return");
        if (graph.Outputs.Count > 0)
        {
            text.Append(' ').AppendJoin(", ", graph.Outputs.Select(o => Name(o.Value)));
        }
        text.Append('\n');
    }
}
