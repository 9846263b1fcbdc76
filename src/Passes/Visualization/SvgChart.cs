namespace GraphDL.Passes.Visualization;

/// <summary>A point of a <see cref="ChartSeries"/>; <paramref name="Label"/> is written next to it, <paramref name="Tooltip"/> shown on hover.</summary>
public readonly record struct ChartPoint(double X, double Y, string? Label = null, string? Tooltip = null);

/// <summary>
/// A series of points, in the order given: joined by a line (<paramref name="Line"/>), each drawn as a dot
/// (<paramref name="Markers"/>) or both. A step-shaped curve is given as its corners.
/// </summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points, string Color, bool Line = true, bool Markers = false);

/// <summary>A labelled horizontal line across the plot at <paramref name="Y"/> (a bound, a budget); labels of close lines are spread apart.</summary>
public sealed record ChartRule(double Y, string Label, string Color);

/// <summary>A vertical line across the plot at <paramref name="X"/> (the peak step), labelled near the bottom unless the label is empty.</summary>
public sealed record ChartMark(double X, string Label, string Color);

/// <summary>A rectangle of the drawing, in SVG user units (pixels).</summary>
internal readonly record struct ChartBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;
}

/// <summary>
/// A line chart written as self-contained SVG, no plotting library: axes with round ticks in human units
/// (<see cref="AxisUnit"/>), linear or logarithmic x, series as polylines and labelled dots, horizontal rules,
/// vertical marks, and lines of notes under the plot. The memory picture (<see cref="MemoryPlanSvg"/>) draws its
/// panels with the same frame, so a buffer rectangle and the live-bytes curve line up step for step.
/// </summary>
public sealed class SvgChart
{
    // Room around the plot for the title, the tick labels and the axis labels.
    private const double MarginLeft = 82, MarginRight = 24, MarginTop = 30, MarginBottom = 44;

    private const double NoteLineHeight = 17;

    public string Title { get; init; } = "";

    public string XLabel { get; init; } = "";

    public string YLabel { get; init; } = "";

    public AxisUnit XUnit { get; init; } = AxisUnit.Number;

    public AxisUnit YUnit { get; init; } = AxisUnit.Number;

    /// <summary>A logarithmic x axis (all x values must be positive), for values spanning several factors of ten.</summary>
    public bool LogX { get; init; }

    public IReadOnlyList<ChartSeries> Series { get; init; } = [];

    public IReadOnlyList<ChartRule> Rules { get; init; } = [];

    public IReadOnlyList<ChartMark> Marks { get; init; } = [];

    /// <summary>Lines of text under the plot (a legend of figures).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The x range; by default the data's, padded a little.</summary>
    public (double Min, double Max)? XRange { get; init; }

    /// <summary>The y range; by default from 0 to a little above the highest point or rule.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>The chart as a standalone SVG document, <paramref name="width"/> wide, the plot <paramref name="height"/> high plus its notes.</summary>
    public string Render(double width = 760, double height = 460)
    {
        var svg = new SvgWriter(width, height + NotesHeight(Notes.Count));
        Draw(svg, new ChartBox(0, 0, width, height));
        return svg.ToString();
    }

    internal static double NotesHeight(int lines) => lines == 0 ? 0 : lines * NoteLineHeight + 8;

    /// <summary>Draws the chart in <paramref name="box"/> (title, axes and plot) and its notes just under it.</summary>
    internal void Draw(SvgWriter svg, ChartBox box)
    {
        var points = Series.SelectMany(s => s.Points).ToArray();
        var (xMin, xMax) = XRange ?? Padded(points.Select(p => p.X).Concat(Marks.Select(m => m.X)), LogX);
        var (yMin, yMax) = YRange ?? (0, Top(points.Select(p => p.Y).Concat(Rules.Select(r => r.Y))));
        var x = new ChartAxis(xMin, xMax, XUnit, LogX);
        var y = new ChartAxis(yMin, yMax, YUnit);
        var plot = DrawFrame(svg, box, x, y, Title, XLabel, YLabel);
        double Px(double value) => plot.X + x.Fraction(value) * plot.Width;
        double Py(double value) => plot.Bottom - y.Fraction(value) * plot.Height;

        DrawRules(svg, plot, y, Rules);
        foreach (var mark in Marks)
        {
            DrawMark(svg, plot, x, mark);
        }
        foreach (var series in Series)
        {
            svg.Group("series");
            if (series.Line && series.Points.Count > 1)
            {
                svg.Polyline(series.Points.Select(p => (Px(p.X), Py(p.Y))), series.Color);
            }
            foreach (var point in series.Points.Where(_ => series.Markers))
            {
                svg.Circle(Px(point.X), Py(point.Y), 4, series.Color, point.Tooltip);
                if (point.Label is { } label)
                {
                    // Near the right edge the label goes to the left of its dot, so it stays inside the drawing.
                    bool left = Px(point.X) + 7 + 7 * label.Length > box.Right;
                    svg.Text(Px(point.X) + (left ? -7 : 7), Py(point.Y) - 7, label, left ? "end" : "start", 11);
                }
            }
            svg.EndGroup();
        }
        int legend = 0;
        foreach (var series in Series.Where(s => s.Name.Length > 0))
        {
            double top = plot.Y + 8 + 16 * legend++;
            svg.Rect(plot.X + 8, top, 14, 3, series.Color);
            svg.Text(plot.X + 27, top + 5, series.Name, "start", 11);
        }
        DrawNotes(svg, box, Notes);
    }

    /// <summary>
    /// The frame of a plot in <paramref name="box"/>: title, grid lines, tick labels, axis labels. Returns the plot
    /// area, where a value v of an axis falls at <c>area.X + axis.Fraction(v) · area.Width</c> (x) and
    /// <c>area.Bottom - axis.Fraction(v) · area.Height</c> (y, upwards).
    /// </summary>
    internal static ChartBox DrawFrame(SvgWriter svg, ChartBox box, ChartAxis x, ChartAxis y, string title, string xLabel, string yLabel)
    {
        var plot = new ChartBox(box.X + MarginLeft, box.Y + MarginTop, box.Width - MarginLeft - MarginRight, box.Height - MarginTop - MarginBottom);
        svg.Text(box.X + MarginLeft, box.Y + 19, title, "start", 14);
        svg.Rect(plot.X, plot.Y, plot.Width, plot.Height, "#fafafa", null, " stroke=\"#999\" stroke-width=\"1\"");
        foreach (var tick in y.Ticks(6))
        {
            double py = plot.Bottom - y.Fraction(tick) * plot.Height;
            svg.Line(plot.X, py, plot.Right, py, "#e4e4e4");
            svg.Text(plot.X - 6, py + 4, y.Label(tick), "end", 11);
        }
        foreach (var tick in x.Ticks(x.Log ? 10 : 8))
        {
            double px = plot.X + x.Fraction(tick) * plot.Width;
            svg.Line(px, plot.Y, px, plot.Bottom, "#ececec");
            svg.Line(px, plot.Bottom, px, plot.Bottom + 4, "#999");
            svg.Text(px, plot.Bottom + 17, x.Label(tick), "middle", 11);
        }
        svg.Text(plot.X + plot.Width / 2, box.Bottom - 8, xLabel, "middle", 12);
        svg.Text(box.X + 16, plot.Y + plot.Height / 2, yLabel, "middle", 12, rotate: -90);
        return plot;
    }

    /// <summary>The rules, each label above its line, or below it where the rule above is too close for two labels.</summary>
    internal static void DrawRules(SvgWriter svg, ChartBox plot, ChartAxis y, IReadOnlyList<ChartRule> rules)
    {
        double previous = double.NegativeInfinity;
        foreach (var (rule, py) in rules.Select(r => (r, plot.Bottom - y.Fraction(r.Y) * plot.Height)).OrderBy(r => r.Item2))
        {
            svg.Line(plot.X, py, plot.Right, py, rule.Color, 1.2, " stroke-dasharray=\"6 4\" class=\"rule\"");
            bool below = py - previous < 16;
            svg.Text(plot.Right - 4, below ? py + 13 : py - 4, rule.Label, "end", 11, rule.Color);
            previous = below ? py + 13 : py;
        }
    }

    internal static void DrawMark(SvgWriter svg, ChartBox plot, ChartAxis x, ChartMark mark)
    {
        double px = plot.X + x.Fraction(mark.X) * plot.Width;
        svg.Line(px, plot.Y, px, plot.Bottom, mark.Color, 1.2, " stroke-dasharray=\"3 3\" class=\"mark\"");
        if (mark.Label.Length > 0)
        {
            bool left = px + 4 + 6.5 * mark.Label.Length > plot.Right;
            svg.Text(left ? px - 4 : px + 4, plot.Bottom - 6, mark.Label, left ? "end" : "start", 11, mark.Color);
        }
    }

    /// <summary>Lines of text under <paramref name="box"/>, in the room <see cref="NotesHeight"/> gives them.</summary>
    internal static void DrawNotes(SvgWriter svg, ChartBox box, IReadOnlyList<string> notes)
    {
        for (int i = 0; i < notes.Count; i++)
        {
            svg.Text(box.X + MarginLeft, box.Bottom + 6 + NoteLineHeight * (i + 1) - 4, notes[i], "start", 12);
        }
    }

    private static (double Min, double Max) Padded(IEnumerable<double> values, bool log)
    {
        var finite = values.Where(v => double.IsFinite(v) && (!log || v > 0)).ToArray();
        if (finite.Length == 0)
        {
            return log ? (1, 10) : (0, 1);
        }
        double min = finite.Min(), max = finite.Max();
        if (log)
        {
            double pad = Math.Pow(max / min, 0.06);
            return (min / Math.Max(pad, 1.15), max * Math.Max(pad, 1.15));
        }
        double margin = max > min ? (max - min) * 0.06 : Math.Max(Math.Abs(max) * 0.1, 1);
        return (min - margin, max + margin);
    }

    private static double Top(IEnumerable<double> values)
    {
        double max = values.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        return max > 0 ? max * 1.1 : 1;
    }
}
