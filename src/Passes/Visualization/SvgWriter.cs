using System.Globalization;
using System.Text;

namespace GraphDL.Passes.Visualization;

/// <summary>
/// Builds an SVG document by hand: every number printed in the invariant culture with at most two decimals (an SVG
/// reader in any locale parses it), every text and attribute value XML-escaped, characters XML 1.0 forbids replaced,
/// so the result is well-formed whatever names and source paths a graph carries.
/// </summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _text = new();

    public SvgWriter(double width, double height)
    {
        _text.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" ")
            .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
            .Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{N(width)}\" height=\"{N(height)}\" fill=\"white\"/>\n");
    }

    /// <summary>A number as SVG writes it: invariant culture, at most two decimals, no exponent.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="text"/> safe inside an element or a quoted attribute: <c>&amp; &lt; &gt; " '</c> as entities,
    /// and characters XML 1.0 does not allow (controls other than tab and line breaks, lone surrogates) as U+FFFD.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&apos;"); break;
                case '\t' or '\n' or '\r': escaped.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': escaped.Append('\uFFFD'); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        escaped.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        escaped.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    }
                    break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>A rectangle; <paramref name="title"/> becomes its tooltip, <paramref name="attributes"/> is appended verbatim.</summary>
    public void Rect(double x, double y, double width, double height, string fill, string? title = null, string attributes = "")
    {
        _text.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(width)}\" height=\"{N(height)}\" fill=\"{Escape(fill)}\"{attributes}");
        Close("rect", title);
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string attributes = "") =>
        _text.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{Escape(stroke)}\" stroke-width=\"{N(width)}\"{attributes}/>\n");

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 1.5, string attributes = "") =>
        _text.Append("<polyline points=\"").AppendJoin(' ', points.Select(p => N(p.X) + "," + N(p.Y)))
            .Append(CultureInfo.InvariantCulture, $"\" fill=\"none\" stroke=\"{Escape(stroke)}\" stroke-width=\"{N(width)}\"{attributes}/>\n");

    public void Circle(double x, double y, double radius, string fill, string? title = null, string attributes = "")
    {
        _text.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(radius)}\" fill=\"{Escape(fill)}\"{attributes}");
        Close("circle", title);
    }

    /// <summary>Text at (x, y); <paramref name="anchor"/> is start, middle or end; <paramref name="rotate"/> turns it about its anchor.</summary>
    public void Text(double x, double y, string text, string anchor = "start", double size = 12, string fill = "black", double rotate = 0, string attributes = "")
    {
        var turn = rotate == 0 ? "" : $" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"";
        _text.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"{N(size)}\" fill=\"{Escape(fill)}\"{turn}{attributes}>{Escape(text)}</text>\n");
    }

    /// <summary>Opens a group (<c>&lt;g&gt;</c>) with the given class; close it with <see cref="EndGroup"/>.</summary>
    public void Group(string cssClass) => _text.Append(CultureInfo.InvariantCulture, $"<g class=\"{Escape(cssClass)}\">\n");

    public void EndGroup() => _text.Append("</g>\n");

    public override string ToString() => _text + "</svg>\n";

    private void Close(string element, string? title)
    {
        if (title is null)
        {
            _text.Append("/>\n");
            return;
        }
        _text.Append("><title>").Append(Escape(title)).Append("</title></").Append(element).Append(">\n");
    }
}
