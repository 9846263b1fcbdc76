using GraphDL.IR;
using ScottPlot;

namespace GraphDL.Training;

/// <summary>
/// Loss and accuracy curves of a training run, drawn with ScottPlot as PNG or SVG:
/// <code>
/// var curves = new Curves("Fashion-MNIST CNN", xLabel: "epoch");
/// curves.Add("train loss", epoch, trainLoss);
/// curves.Add("test accuracy", epoch, accuracy, rightAxis: true);   // a second scale on the right
/// curves.Save("curves.png");                                        // or .svg
/// </code>
/// Series are drawn in the order first added, each as a line with markers, named in a legend. Text uses the
/// bundled font (<see cref="BundledFont"/>), so it shows on machines without system fonts.
/// </summary>
public sealed class Curves(string title, string xLabel = "epoch", string leftLabel = "loss", string rightLabel = "accuracy")
{
    private readonly List<Series> _series = [];

    public string Title { get; } = title;

    /// <summary>The series added so far, in order.</summary>
    public IReadOnlyList<Series> All => _series;

    /// <summary>Adds the point (<paramref name="x"/>, <paramref name="y"/>) to the series named <paramref name="name"/>, creating it on first use.</summary>
    /// <exception cref="ArgumentException">The series exists on the other axis, or a coordinate is not finite.</exception>
    public void Add(string name, double x, double y, bool rightAxis = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            throw new ArgumentException($"{name}: ({x}, {y}) is not a finite point");
        }
        var series = _series.Find(s => s.Name == name);
        if (series is null)
        {
            series = new Series(name, rightAxis);
            _series.Add(series);
        }
        else if (series.RightAxis != rightAxis)
        {
            throw new ArgumentException($"{name} is drawn on the {(series.RightAxis ? "right" : "left")} axis; it cannot move", nameof(rightAxis));
        }
        series.Xs.Add(x);
        series.Ys.Add(y);
    }

    /// <summary>
    /// Writes the curves to <paramref name="path"/> (creating its folder): PNG for <c>.png</c>, SVG for <c>.svg</c>, atomically
    /// (<see cref="AtomicFile"/>), so a reader never sees half a picture.
    /// </summary>
    /// <exception cref="ArgumentException">The extension is neither, or there is nothing to draw.</exception>
    public void Save(string path, int width = 800, int height = 500)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
        {
            throw new ArgumentException($"{path}: curves are written as .png or .svg, not '{extension}'", nameof(path));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, extension == ".png" ? Png(width, height) : System.Text.Encoding.UTF8.GetBytes(Svg(width, height)));
    }

    /// <summary>The curves as PNG bytes.</summary>
    public byte[] Png(int width = 800, int height = 500) => Build().GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>The curves as SVG text.</summary>
    public string Svg(int width = 800, int height = 500) => Build().GetSvgXml(width, height);

    private Plot Build()
    {
        if (_series.Count == 0)
        {
            throw new ArgumentException($"{Title}: no series to draw");
        }
        BundledFont.Register();
        var plot = new Plot();
        plot.Title(Title);
        plot.XLabel(xLabel);
        plot.YLabel(leftLabel);
        bool right = _series.Any(s => s.RightAxis);
        if (right)
        {
            plot.Axes.Right.Label.Text = rightLabel;
        }
        foreach (var series in _series)
        {
            var scatter = plot.Add.Scatter(series.Xs.ToArray(), series.Ys.ToArray());
            scatter.LegendText = series.Name;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 5;
            if (series.RightAxis)
            {
                scatter.Axes.YAxis = plot.Axes.Right;
            }
        }
        plot.ShowLegend(Alignment.UpperRight);
        // Every text element (title, labels, ticks, legend) in the bundled font.
        plot.Font.Set(BundledFont.Family);
        return plot;
    }

    /// <summary>One named line of points.</summary>
    public sealed class Series(string name, bool rightAxis)
    {
        public string Name { get; } = name;

        /// <summary>Whether the series is scaled on the right axis (e.g. accuracy beside a loss).</summary>
        public bool RightAxis { get; } = rightAxis;

        public List<double> Xs { get; } = [];

        public List<double> Ys { get; } = [];
    }
}
