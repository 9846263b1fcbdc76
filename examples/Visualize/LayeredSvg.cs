using System.Globalization;
using System.Security;
using System.Text;
using GraphDL.IR;
using GraphDL.Passes.Visualization;

namespace GraphDL.Examples.Visualize;

/// <summary>
/// A graph drawn as SVG without Graphviz, in the layered (Sugiyama) style at its simplest: each value sits one row
/// below the deepest value it reads (inputs on top, outputs at the bottom), each row is ordered by the mean position
/// of what its values read (one sweep down, which untangles most edges of a feed-forward graph), and edges are
/// straight lines. Fused kernels are dashed boxes around their nodes. Less tidy than <c>dot</c>, but it needs nothing.
/// </summary>
public static class LayeredSvg
{
    private const double CharWidth = 6.6, LineHeight = 14, Padding = 6, ColumnGap = 18, RowGap = 34, Margin = 20;

    private sealed class Vertex(string[] lines, string fill, bool rounded)
    {
        public string[] Lines { get; } = lines;
        public string Fill { get; } = fill;
        public bool Rounded { get; } = rounded;
        public List<Vertex> Sources { get; } = [];
        public int Row { get; set; }
        public int Cluster { get; set; } = -1;
        public double Order { get; set; }
        public double X { get; set; }
        public double Y { get; set; }
        public double Width => Lines.Max(l => l.Length) * CharWidth + 2 * Padding;
        public double Height => Lines.Length * LineHeight + 2 * Padding;
    }

    public static string Write(Graph graph, IReadOnlyList<DotCluster> clusters)
    {
        var vertices = new List<Vertex>();
        var of = new Dictionary<Value, Vertex>(ReferenceEqualityComparer.Instance);
        foreach (var input in graph.Inputs)
        {
            var v = new Vertex([$"%{input.Name}", input.Type.ToString()], input.Role == InputRole.Input ? "white" : "#d9d9d9", rounded: true);
            of[input] = v;
            vertices.Add(v);
        }
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            var v = new Vertex([$"%{i} = {node.Op.Name}", node.Type.ToString()], "#dbe9f6", rounded: false);
            v.Sources.AddRange(node.Operands.Where(of.ContainsKey).Select(o => of[o]).Distinct());
            v.Row = v.Sources.Count == 0 ? 1 : v.Sources.Max(s => s.Row) + 1;
            of[node] = v;
            vertices.Add(v);
        }
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            var value = graph.Outputs[o].Value;
            var v = new Vertex([graph.OutputName(o), value.Type.ToString()], "#fff2cc", rounded: true);
            if (of.TryGetValue(value, out var source))
            {
                v.Sources.Add(source);
                v.Row = source.Row + 1;
            }
            vertices.Add(v);
        }

        // A node that reads only inputs (a parameter's broadcast, a constant) moves down to just above its first
        // reader, rather than crowding the top row with edges that cross the whole picture.
        var readers = vertices.SelectMany(v => v.Sources.Select(s => (Source: s, Reader: v))).ToLookup(p => p.Source, p => p.Reader);
        for (int i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            var v = of[graph.Nodes[i]];
            if (v.Sources.All(s => s.Row == 0) && readers[v].Any())
            {
                v.Row = readers[v].Min(r => r.Row) - 1;
            }
        }
        for (int c = 0; c < clusters.Count; c++)
        {
            foreach (var node in clusters[c].Nodes)
            {
                of[node].Cluster = c;
            }
        }

        // Rows, each ordered by where its sources sit (first by creation order, then by the sources' mean position),
        // the members of one kernel side by side, so that its box holds little else.
        var rows = vertices.GroupBy(v => v.Row).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        foreach (var row in rows)
        {
            for (int k = 0; k < row.Count; k++)
            {
                row[k].Order = row[k].Sources.Count == 0 ? k : row[k].Sources.Average(s => s.Order) + k * 1e-3;
            }
            var clusterOrder = row.Where(v => v.Cluster >= 0).GroupBy(v => v.Cluster).ToDictionary(g => g.Key, g => g.Average(v => v.Order));
            var sorted = row.OrderBy(v => v.Cluster >= 0 ? clusterOrder[v.Cluster] : v.Order).ThenBy(v => v.Order).ToList();
            row.Clear();
            row.AddRange(sorted);
            for (int k = 0; k < row.Count; k++)
            {
                row[k].Order = k - (row.Count - 1) / 2.0;
            }
        }
        double width = rows.Max(r => r.Sum(v => v.Width) + ColumnGap * (r.Count - 1)) + 2 * Margin;
        double y = Margin + LineHeight * 2;
        foreach (var row in rows)
        {
            double x = (width - (row.Sum(v => v.Width) + ColumnGap * (row.Count - 1))) / 2;
            foreach (var v in row)
            {
                (v.X, v.Y) = (x, y);
                x += v.Width + ColumnGap;
            }
            y += row.Max(v => v.Height) + RowGap;
        }
        double height = y + Margin - RowGap;

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"DejaVu Sans, Helvetica, sans-serif\" font-size=\"11\">\n"));
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
        svg.Append(Invariant($"<rect width=\"{width:0}\" height=\"{height:0}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{width / 2:0}\" y=\"{Margin + 4:0}\" text-anchor=\"middle\" font-size=\"14\">@{Escape(graph.Name)}</text>\n"));
        foreach (var cluster in clusters)
        {
            var members = cluster.Nodes.Select(n => of[n]).ToArray();
            double left = members.Min(v => v.X) - 8, top = members.Min(v => v.Y) - 8 - LineHeight * cluster.Label.Split('\n').Length;
            double right = members.Max(v => v.X + v.Width) + 8, bottom = members.Max(v => v.Y + v.Height) + 8;
            svg.Append(Invariant($"<rect x=\"{left:0.#}\" y=\"{top:0.#}\" width=\"{right - left:0.#}\" height=\"{bottom - top:0.#}\" rx=\"8\" fill=\"#f4f0fa\" fill-opacity=\"0.6\" stroke=\"#7b5ea7\" stroke-dasharray=\"5,3\"/>\n"));
            var labelLines = cluster.Label.Split('\n');
            for (int l = 0; l < labelLines.Length; l++)
            {
                svg.Append(Invariant($"<text x=\"{left + 6:0.#}\" y=\"{top + LineHeight * (l + 1):0.#}\" fill=\"#5b3e87\" font-size=\"10\">{Escape(labelLines[l])}</text>\n"));
            }
        }
        foreach (var v in vertices)
        {
            foreach (var s in v.Sources)
            {
                svg.Append(Invariant($"<line x1=\"{s.X + s.Width / 2:0.#}\" y1=\"{s.Y + s.Height:0.#}\" x2=\"{v.X + v.Width / 2:0.#}\" y2=\"{v.Y:0.#}\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>\n"));
            }
        }
        foreach (var v in vertices)
        {
            svg.Append(Invariant($"<rect x=\"{v.X:0.#}\" y=\"{v.Y:0.#}\" width=\"{v.Width:0.#}\" height=\"{v.Height:0.#}\" rx=\"{(v.Rounded ? 12 : 2)}\" fill=\"{v.Fill}\" stroke=\"#333\"/>\n"));
            for (int l = 0; l < v.Lines.Length; l++)
            {
                svg.Append(Invariant($"<text x=\"{v.X + v.Width / 2:0.#}\" y=\"{v.Y + Padding + LineHeight * (l + 1) - 3:0.#}\" text-anchor=\"middle\">{Escape(v.Lines[l])}</text>\n"));
            }
        }
        return svg.Append("</svg>\n").ToString();
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
