using System.Globalization;
using System.Text;
using GraphDL.IR;
using GraphDL.Passes.Memory;

namespace GraphDL.Passes.Visualization;

/// <summary>
/// The picture of a <see cref="MemoryPlan"/> (<c>graphdl compile --emit memory-svg</c>), as self-contained SVG:
/// <list type="bullet">
/// <item>top: the arena over the schedule. x is the schedule step, y the arena offset in bytes; each planned buffer is
/// a rectangle from its <see cref="PlannedBuffer.Def"/> step to the end of its <see cref="PlannedBuffer.LastUse"/>
/// step and from <see cref="PlannedBuffer.Offset"/> to <c>Offset + Size</c>, filled by the trait of its op (the
/// colours of <c>--emit dot</c>), with a tooltip naming the value (<c>%12</c>, numbered as the printer numbers nodes),
/// its op, type, bytes, steps and C# source line. Buffers under a pixel high are drawn a pixel high.</item>
/// <item>bottom: bytes live at each step (<see cref="MemoryPlan.LiveBytes"/>), with the lower bound and the arena
/// size as horizontal lines; both panels mark the peak step.</item>
/// <item>under them: arena, lower bound, no-reuse and saved activation bytes.</item>
/// </list>
/// The two panels share the x scale, so a buffer and the curve it raises line up.
/// </summary>
public static class MemoryPlanSvg
{
    private const double Width = 1000, TopHeight = 440, BottomHeight = 240;

    private const string ArenaColor = "#c0392b", BoundColor = "#1f6fb2", PeakColor = "#7d3c98", LiveColor = "#2c3e50";

    private static readonly (string Name, string Color)[] TraitColors =
    [
        ("contraction", "lightsalmon"), ("reduction", "khaki"), ("movement", "lightgrey"), ("elementwise", "lightblue"), ("other", "thistle"),
    ];

    public static string Render(MemoryPlan plan)
    {
        var names = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < plan.Graph.Nodes.Count; i++)
        {
            names[plan.Graph.Nodes[i]] = "%" + i.ToString(CultureInfo.InvariantCulture);
        }
        string Name(Node node) => names.TryGetValue(node, out var name) ? name : "%?";

        var notes = Notes(plan, Name);
        var svg = new SvgWriter(Width, TopHeight + BottomHeight + SvgChart.NotesHeight(notes.Count));
        double arenaTop = Math.Max(1, Math.Max(plan.ArenaBytes, plan.LowerBoundBytes)) * 1.06;
        var steps = new ChartAxis(0, Math.Max(1, plan.Steps.Count), AxisUnit.Count);
        var offsets = new ChartAxis(0, arenaTop, AxisUnit.Bytes);
        var rules = new[]
        {
            new ChartRule(plan.ArenaBytes, "arena " + HumanUnits.Bytes(plan.ArenaBytes), ArenaColor),
            new ChartRule(plan.LowerBoundBytes, "lower bound " + HumanUnits.Bytes(plan.LowerBoundBytes), BoundColor),
        };
        var peak = plan.PeakStep < 0 ? [] : new[]
        {
            new ChartMark(plan.PeakStep + 0.5, Invariant($"peak: step {plan.PeakStep}, {HumanUnits.Bytes(plan.LowerBoundBytes)} live"), PeakColor),
        };

        var top = new ChartBox(0, 0, Width, TopHeight);
        var area = SvgChart.DrawFrame(svg, top, steps, offsets,
            Invariant($"@{plan.Graph.Name}: {plan.Buffers.Count} arena buffers over {plan.Steps.Count} steps (placement: {plan.Heuristic})"),
            "schedule step", "arena offset");
        svg.Group("buffers");
        foreach (var buffer in plan.Buffers)
        {
            double x = area.X + steps.Fraction(buffer.Def) * area.Width;
            double width = (steps.Fraction(buffer.LastUse + 1) - steps.Fraction(buffer.Def)) * area.Width;
            double bottom = area.Bottom - offsets.Fraction(buffer.Offset) * area.Height;
            double height = Math.Max(1, (offsets.Fraction(buffer.End) - offsets.Fraction(buffer.Offset)) * area.Height);
            svg.Rect(x, bottom - height, width, height, TraitColors[Trait(buffer.Value.Op)].Color, Tooltip(buffer, Name),
                " class=\"buffer\" stroke=\"white\" stroke-width=\"0.5\" fill-opacity=\"0.9\"");
        }
        svg.EndGroup();
        SvgChart.DrawRules(svg, area, offsets, rules);
        foreach (var mark in peak)
        {
            SvgChart.DrawMark(svg, area, steps, mark with { Label = "" }); // labelled once, in the lower panel
        }
        // The colour key sits on the lower panel's title row, which is short.
        double swatch = top.Right - 24;
        foreach (var (name, color) in Enumerable.Reverse(TraitColors))
        {
            swatch -= 7 * name.Length + 22;
            svg.Rect(swatch, TopHeight + 9, 12, 12, color, null, " stroke=\"#999\" stroke-width=\"0.5\"");
            svg.Text(swatch + 16, TopHeight + 19, name, "start", 11);
        }

        var live = new List<ChartPoint>();
        for (int s = 0; s < plan.LiveBytes.Count; s++)
        {
            live.Add(new(s, plan.LiveBytes[s]));
            live.Add(new(s + 1, plan.LiveBytes[s]));
        }
        new SvgChart
        {
            Title = "bytes live per step",
            XLabel = "schedule step",
            YLabel = "bytes live",
            XUnit = AxisUnit.Count,
            YUnit = AxisUnit.Bytes,
            XRange = (steps.Min, steps.Max),
            YRange = (0, arenaTop),
            Series = [new ChartSeries("", live, LiveColor)],
            Rules = rules,
            Marks = peak,
            Notes = notes,
        }.Draw(svg, new ChartBox(0, TopHeight, Width, BottomHeight));
        return svg.ToString();
    }

    private static List<string> Notes(MemoryPlan plan, Func<Node, string> name)
    {
        static string Figure(long bytes) => Invariant($"{HumanUnits.Bytes(bytes)} ({bytes} bytes)");
        var notes = new List<string>
        {
            Invariant($"arena {Figure(plan.ArenaBytes)} · lower bound {Figure(plan.LowerBoundBytes)} · no-reuse {Figure(plan.NoReuseBytes)}"),
            $"saved activations {Figure(plan.SavedActivationBytes)} · arena / lower bound "
                + (plan.LowerBoundBytes > 0 ? HumanUnits.Significant((double)plan.ArenaBytes / plan.LowerBoundBytes) : "-"),
        };
        if (plan.PeakStep >= 0)
        {
            var producer = plan.Steps[plan.PeakStep].Produces;
            notes.Add(Invariant($"peak at step {plan.PeakStep} ({name(producer)} {producer.Op.Name}): {plan.LiveAtPeak.Count} buffers live"));
        }
        return notes;
    }

    private static string Tooltip(PlannedBuffer buffer, Func<Node, string> name)
    {
        var node = buffer.Value;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{name(node)} = {node.Op.Name} : {node.Type}\n")
            .Append(CultureInfo.InvariantCulture, $"{HumanUnits.Bytes(buffer.Size)} ({buffer.Size} bytes) at offset {buffer.Offset}\n")
            .Append(CultureInfo.InvariantCulture, $"steps {buffer.Def}..{buffer.LastUse}");
        if (buffer.InPlaceOf is { } host)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nin place of {name(host)}");
        }
        if (node.Loc.IsKnown)
        {
            text.Append('\n').Append(node.Loc.ToString());
        }
        return text.ToString();
    }

    /// <summary>The index in <see cref="TraitColors"/> of the trait an op is drawn by.</summary>
    private static int Trait(OpDef op) =>
        op.Has(OpTraits.Contraction) ? 0
        : op.Has(OpTraits.Reduction) ? 1
        : op.Has(OpTraits.Movement) ? 2
        : op.Has(OpTraits.Elementwise) ? 3
        : 4;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
