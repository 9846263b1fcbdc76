using System.Globalization;
using System.Xml.Linq;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;
using GraphDL.Passes.Visualization;

namespace GraphDL.Tests.Memory;

/// <summary>
/// The memory picture (<see cref="MemoryPlanSvg"/>) and the chart it shares with the remat sweep (<see cref="SvgChart"/>):
/// well-formed XML whatever the names hold, one rectangle per buffer on one linear scale, culture-independent.
/// </summary>
public sealed class MemoryPlanSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Buffers of two sizes (1 KiB and 64 B) at several offsets; %5 is the output, outside the arena.</summary>
    private const string Softmaxish = """
        graph @softmaxish(%x: f32[16,16] input) -> (f32[16,16]) {
          %0 = exp(%x) : f32[16,16]                                        loc("Model<T>&Co.cs":7)
          %1 = reduce_sum(%0) {axes=[1]} : f32[16]                         loc("Model<T>&Co.cs":8)
          %2 = broadcast_in_dim(%1) {shape=[16,16], dims=[0]} : f32[16,16]
          %3 = div(%0, %2) : f32[16,16]
          %4 = neg(%3) : f32[16,16]
          %5 = mul(%4, %0) : f32[16,16]
          return %5
        }
        """;

    private static MemoryPlan PlanUnfused(string text)
    {
        var graph = GirParser.Parse(text);
        return MemoryEstimate.Of(graph, fuse: false);
    }

    private static double At(XElement element, string attribute) => double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    private static XElement[] BufferRects(XDocument svg) =>
        svg.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "buffer").ToArray();

    [Fact]
    public void EachBufferIsOneRectangleOnOneLinearScaleOfStepsAndOffsets()
    {
        var plan = PlanUnfused(Softmaxish);
        Assert.True(plan.Buffers.Select(b => b.Offset).Distinct().Count() >= 3, "the graph should spread buffers over several offsets");
        var rects = BufferRects(XDocument.Parse(MemoryPlanSvg.Render(plan)));
        Assert.Equal(plan.Buffers.Count, rects.Length);

        // x = x0 + kx·step over [Def, LastUse + 1); y grows downwards: bottom = y0 - ky·Offset, height = ky·Size.
        var first = plan.Buffers[0];
        double kx = At(rects[0], "width") / (first.LastUse + 1 - first.Def), x0 = At(rects[0], "x") - kx * first.Def;
        double ky = At(rects[0], "height") / first.Size, y0 = At(rects[0], "y") + At(rects[0], "height") + ky * first.Offset;
        Assert.True(kx > 1 && ky > 0, $"scales {kx} px/step, {ky} px/byte");
        for (int i = 0; i < rects.Length; i++)
        {
            var b = plan.Buffers[i];
            Assert.Equal(x0 + kx * b.Def, At(rects[i], "x"), 0.02);
            Assert.Equal(kx * (b.LastUse + 1 - b.Def), At(rects[i], "width"), 0.02);
            Assert.Equal(ky * b.Size, At(rects[i], "height"), 0.02);
            Assert.Equal(y0 - ky * (b.Offset + b.Size), At(rects[i], "y"), 0.02);
        }
    }

    [Fact]
    public void TooltipsNameTheValueOpTypeBytesStepsAndSourceLineEscaped()
    {
        var plan = PlanUnfused(Softmaxish);
        var text = MemoryPlanSvg.Render(plan);
        Assert.Contains("Model&lt;T&gt;&amp;Co.cs:7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Model<T>", text, StringComparison.Ordinal);
        var exp = plan.Buffers.Single(b => b.Value == plan.Graph.Nodes[0]);
        var title = BufferRects(XDocument.Parse(text))[plan.Buffers.ToList().IndexOf(exp)].Element(Svg + "title")!.Value;
        Assert.Equal($"%0 = exp : f32[16,16]\n1 KiB (1024 bytes) at offset {exp.Offset}\nsteps {exp.Def}..{exp.LastUse}\nModel<T>&Co.cs:7", title);
    }

    [Fact]
    public void TheLowerPanelDrawsBytesLivePerStepWithTheBoundsAndThePeak()
    {
        var plan = PlanUnfused(Softmaxish);
        var svg = XDocument.Parse(MemoryPlanSvg.Render(plan));
        var curve = svg.Descendants(Svg + "polyline").Single();
        var points = curve.Attribute("points")!.Value.Split(' ').Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(2 * plan.Steps.Count, points.Length);
        // Highest on screen (smallest y) at the peak step's corners.
        double top = points.Min(p => p[1]);
        Assert.Equal(top, points[2 * plan.PeakStep][1], 0.01);
        Assert.Equal(4, svg.Descendants(Svg + "line").Count(l => (string?)l.Attribute("class") == "rule"));
        Assert.Equal(2, svg.Descendants(Svg + "line").Count(l => (string?)l.Attribute("class") == "mark"));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains(texts, t => t.StartsWith($"arena {HumanUnits.Bytes(plan.ArenaBytes)} ({plan.ArenaBytes} bytes) · lower bound ", StringComparison.Ordinal)
            && t.Contains($"no-reuse {HumanUnits.Bytes(plan.NoReuseBytes)} ({plan.NoReuseBytes} bytes)", StringComparison.Ordinal));
        Assert.Contains($"peak: step {plan.PeakStep}, {HumanUnits.Bytes(plan.LowerBoundBytes)} live", texts);
        Assert.Contains("schedule step", texts);
        Assert.Contains("arena offset", texts);
    }

    [Fact]
    public void AnEmptyPlanStillDraws()
    {
        var graph = GirParser.Parse("""
            graph @id(%x: f32[4] input) -> (f32[4]) {
              %0 = neg(%x) : f32[4]
              return %0
            }
            """);
        var plan = MemoryPlanner.Plan(graph, []);
        Assert.Empty(BufferRects(XDocument.Parse(MemoryPlanSvg.Render(plan))));
    }

    [Fact]
    public void NumbersDoNotFollowTheCurrentCulture()
    {
        var plan = PlanUnfused(Softmaxish);
        var invariant = MemoryPlanSvg.Render(plan);
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NegativeSign = "~";
        var outer = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = comma;
            Assert.Equal(invariant, MemoryPlanSvg.Render(plan));
        }
        finally
        {
            CultureInfo.CurrentCulture = outer;
        }
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(960, "960 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(12.34 * 1024 * 1024, "12.3 MiB")]
    [InlineData(256.0 * 1024 * 1024, "256 MiB")]
    [InlineData(3L << 30, "3 GiB")]
    public void BytesReadInBinaryUnits(double bytes, string expected) => Assert.Equal(expected, HumanUnits.Bytes(bytes));

    [Theory]
    [InlineData(2.345, "2.35 s")]
    [InlineData(0.8123, "812 ms")]
    [InlineData(3.4e-6, "3.4 us")]
    public void DurationsReadInSecondsMillisecondsOrMicroseconds(double seconds, string expected) => Assert.Equal(expected, HumanUnits.Seconds(seconds));

    [Fact]
    public void ByteTicksAreRoundInTheirUnitAndStepTicksAreWhole()
    {
        var bytes = new ChartAxis(0, 40 * 1024 * 1024, AxisUnit.Bytes);
        Assert.Equal(["0 B", "10 MiB", "20 MiB", "30 MiB", "40 MiB"], bytes.Ticks(6).Select(bytes.Label));
        var odd = new ChartAxis(0, 3e6, AxisUnit.Bytes);
        Assert.Equal(["0 B", "512 KiB", "1 MiB", "1.5 MiB", "2 MiB", "2.5 MiB"], odd.Ticks(6).Select(odd.Label));
        var steps = new ChartAxis(0, 3, AxisUnit.Count);
        Assert.Equal([0.0, 1, 2, 3], steps.Ticks(8));
    }

    [Fact]
    public void ALogarithmicAxisSpacesEqualRatiosEqually()
    {
        var chart = new SvgChart
        {
            Title = "t",
            XUnit = AxisUnit.Bytes,
            YUnit = AxisUnit.Seconds,
            LogX = true,
            Series = [new ChartSeries("time", [new(1e3, 1, "a"), new(1e4, 2, "b<c"), new(1e5, 1.5, "d", "tip & more")], "blue", Markers: true)],
        };
        var svg = XDocument.Parse(chart.Render());
        var xs = svg.Descendants(Svg + "circle").Select(c => At(c, "cx")).ToArray();
        Assert.Equal(3, xs.Length);
        Assert.True(xs[1] > xs[0], "x grows to the right");
        Assert.Equal(xs[1] - xs[0], xs[2] - xs[1], 0.02);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "b<c");
        Assert.Equal("tip & more", svg.Descendants(Svg + "circle").Last().Element(Svg + "title")!.Value);

        var linear = XDocument.Parse(new SvgChart { Series = [new ChartSeries("", [new(1, 0), new(2, 0), new(4, 0)], "red", Line: false, Markers: true)] }.Render());
        var lx = linear.Descendants(Svg + "circle").Select(c => At(c, "cx")).ToArray();
        Assert.Equal(2 * (lx[1] - lx[0]), lx[2] - lx[1], 0.02);
    }
}
