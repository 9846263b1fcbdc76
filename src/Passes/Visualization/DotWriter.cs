using System.Globalization;
using System.Text;
using GraphDL.IR;

namespace GraphDL.Passes.Visualization;

/// <summary>
/// A group of nodes drawn as one Graphviz cluster (<c>subgraph cluster_N</c>) with a label, e.g. a fused kernel.
/// The hook for the fusion pass: it will hand its kernels to <see cref="DotWriter.Write(Graph, IReadOnlyList{DotCluster})"/>.
/// </summary>
public sealed record DotCluster(string Label, IReadOnlyList<Node> Nodes);

/// <summary>
/// Graphviz DOT text for a graph, deterministic (it depends only on the graph, like the <c>.gir</c> printer):
/// <list type="bullet">
/// <item>one ellipse per input (<c>i0, i1, ...</c>): <c>%name</c>, type and role (params and state filled grey);</item>
/// <item>one box per node (<c>n0, n1, ...</c>, numbered as the printer numbers them): <c>%3 = max(%2, 0.0)</c> (operands
/// by name, literals inline), the attributes (long values abbreviated), the result type and the source line
/// (<c>Mlp.cs:14</c>); filled by trait (elementwise, reduction, movement, contraction, other);</item>
/// <item>one double ellipse per output (<c>o0, o1, ...</c>): its name, type and the input it updates in place;</item>
/// <item>edges from each operand's producer, labelled with the operand index when the op has more than one operand.</item>
/// </list>
/// Nodes given in <see cref="DotCluster"/>s are drawn inside <c>subgraph cluster_N</c> blocks, in the order given.
/// </summary>
public static class DotWriter
{
    /// <summary>Attribute values longer than this are cut and end in "...".</summary>
    public const int MaxAttributeLength = 32;

    public static string Write(Graph graph) => Write(graph, []);

    /// <summary>The DOT text of <paramref name="graph"/>, with the given nodes grouped into clusters.</summary>
    /// <exception cref="ArgumentException">A cluster names a node that is not in the graph, or a node is in two clusters.</exception>
    public static string Write(Graph graph, IReadOnlyList<DotCluster> clusters)
    {
        var ids = new Dictionary<Value, string>(ReferenceEqualityComparer.Instance);
        var names = new Dictionary<Value, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < graph.Inputs.Count; i++)
        {
            ids[graph.Inputs[i]] = "i" + i.ToString(CultureInfo.InvariantCulture);
            names[graph.Inputs[i]] = "%" + graph.Inputs[i].Name;
        }
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            ids[graph.Nodes[i]] = "n" + i.ToString(CultureInfo.InvariantCulture);
            names[graph.Nodes[i]] = "%" + i.ToString(CultureInfo.InvariantCulture);
        }
        string Name(Value value) => value is Literal literal ? literal.Scalar.ToString()
            : names.TryGetValue(value, out var name) ? name : "%<undefined>";

        var clusterOf = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (int c = 0; c < clusters.Count; c++)
        {
            foreach (var node in clusters[c].Nodes)
            {
                if (!ids.ContainsKey(node))
                {
                    throw new ArgumentException($"cluster {c} ('{clusters[c].Label}') holds a node that is not in @{graph.Name}: {node}", nameof(clusters));
                }
                if (!clusterOf.TryAdd(node, c))
                {
                    throw new ArgumentException($"node {names[node]} of @{graph.Name} is in clusters {clusterOf[node]} and {c}", nameof(clusters));
                }
            }
        }

        var text = new StringBuilder();
        text.Append("digraph ").Append(Quote(graph.Name)).Append(" {\n");
        text.Append("  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=").Append(Quote("@" + graph.Name)).Append("];\n");
        text.Append("  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=white];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");

        text.Append("  // inputs\n");
        foreach (var input in graph.Inputs)
        {
            var role = input.Role.ToString().ToLowerInvariant();
            text.Append("  ").Append(ids[input]).Append(" [shape=ellipse, fillcolor=")
                .Append(input.Role == InputRole.Input ? "white" : "lightgrey")
                .Append(", label=").Append(Label(names[input], input.Type.ToString(), role)).Append("];\n");
        }

        text.Append("  // nodes\n");
        var nodeLines = new string[graph.Nodes.Count];
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            var lines = new List<string> { $"{names[node]} = {node.Op.Name}({string.Join(", ", node.Operands.Select(Name))})" };
            if (node.Attributes.Count > 0)
            {
                lines.Add(string.Join(", ", node.Attributes.Select(a => $"{a.Key}={Abbreviate(a.Value)}")));
            }
            lines.Add(node.Type.ToString());
            if (node.Loc.IsKnown)
            {
                lines.Add(node.Loc.ToString());
            }
            nodeLines[i] = $"{ids[node]} [shape=box, fillcolor={Fill(node.Op)}, label={Label([.. lines])}];";
        }
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            if (!clusterOf.ContainsKey(graph.Nodes[i]))
            {
                text.Append("  ").Append(nodeLines[i]).Append('\n');
            }
        }
        for (int c = 0; c < clusters.Count; c++)
        {
            text.Append("  subgraph cluster_").Append(c.ToString(CultureInfo.InvariantCulture)).Append(" {\n");
            text.Append("    label=").Append(Quote(clusters[c].Label)).Append(";\n");
            text.Append("    style=\"rounded,dashed\";\n");
            // in graph order, whatever order the cluster lists them in
            for (int i = 0; i < graph.Nodes.Count; i++)
            {
                if (clusterOf.TryGetValue(graph.Nodes[i], out int owner) && owner == c)
                {
                    text.Append("    ").Append(nodeLines[i]).Append('\n');
                }
            }
            text.Append("  }\n");
        }

        text.Append("  // outputs\n");
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            var output = graph.Outputs[o];
            var lines = new List<string> { graph.OutputName(o), output.Value.Type.ToString() };
            if (output.Aliases is { } target)
            {
                lines.Add($"aliases %{target.Name}");
            }
            if (output.Value is Literal literal)
            {
                lines.Insert(1, "= " + literal.Scalar);
            }
            text.Append("  o").Append(o.ToString(CultureInfo.InvariantCulture))
                .Append(" [shape=ellipse, peripheries=2, label=").Append(Label([.. lines])).Append("];\n");
        }

        text.Append("  // edges\n");
        foreach (var node in graph.Nodes)
        {
            bool numbered = node.Operands.Count > 1;
            for (int k = 0; k < node.Operands.Count; k++)
            {
                if (!ids.TryGetValue(node.Operands[k], out var from))
                {
                    continue; // a literal, shown in the label
                }
                text.Append("  ").Append(from).Append(" -> ").Append(ids[node]);
                if (numbered)
                {
                    text.Append(" [label=\"").Append(k.ToString(CultureInfo.InvariantCulture)).Append("\"]");
                }
                text.Append(";\n");
            }
        }
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            if (ids.TryGetValue(graph.Outputs[o].Value, out var from))
            {
                text.Append("  ").Append(from).Append(" -> o").Append(o.ToString(CultureInfo.InvariantCulture)).Append(";\n");
            }
        }
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>Several graphs as one DOT file (one <c>digraph</c> each, separated by a blank line).</summary>
    public static string Write(IEnumerable<Graph> graphs) => string.Join("\n", graphs.Select(Write));

    /// <summary>A DOT string literal: quotes and backslashes escaped, line breaks as <c>\n</c> (centred lines).</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in text)
        {
            switch (c)
            {
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '\\':
                    quoted.Append("\\\\");
                    break;
                case '\n':
                    quoted.Append("\\n");
                    break;
                case '\r':
                    break;
                default:
                    quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }

    private static string Label(params string[] lines) => Quote(string.Join("\n", lines));

    /// <summary>An attribute's text form; tensor literals as their type, other long values cut to <see cref="MaxAttributeLength"/>.</summary>
    internal static string Abbreviate(Attr attribute)
    {
        if (attribute is TensorAttr { Value: var tensor } && tensor.ElementCount > 4)
        {
            return $"<{tensor.Type}>";
        }
        var text = attribute.Format();
        return text.Length <= MaxAttributeLength ? text : text[..(MaxAttributeLength - 3)] + "...";
    }

    private static string Fill(OpDef op) =>
        op.Has(OpTraits.Contraction) ? "lightsalmon"
        : op.Has(OpTraits.Reduction) ? "khaki"
        : op.Has(OpTraits.Movement) ? "lightgrey"
        : op.Has(OpTraits.Elementwise) ? "lightblue"
        : "white";
}
