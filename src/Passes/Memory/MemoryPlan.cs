using System.Globalization;
using System.Text;
using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// Where every intermediate buffer of a schedule lives in one arena (<see cref="MemoryPlanner"/>), with the figures
/// that judge it. Sizes are counted rounded up to <see cref="Alignment"/> bytes, as each buffer occupies them.
/// <see cref="Format"/> is the report of <c>graphdl compile --emit memory</c>.
/// </summary>
public sealed class MemoryPlan
{
    /// <summary>Every buffer starts on a cache line, the width of the widest vector load (Vector512).</summary>
    public const int Alignment = 64;

    public MemoryPlan(Graph graph, IReadOnlyList<MemoryStep> steps, IReadOnlyList<PlannedBuffer> buffers, long arenaBytes, string heuristic,
        IReadOnlyList<Donation>? donations = null)
    {
        Graph = graph;
        Donations = donations ?? [];
        Steps = steps;
        Buffers = buffers;
        ArenaBytes = arenaBytes;
        Heuristic = heuristic;
        var live = new long[steps.Count];
        foreach (var buffer in buffers)
        {
            for (int s = buffer.Def; s <= buffer.LastUse && s < live.Length; s++)
            {
                live[s] += buffer.OccupiesAt(s) ? buffer.AlignedSize : 0;
            }
        }
        LiveBytes = live;
        PeakStep = live.Length == 0 ? -1 : Array.IndexOf(live, live.Max());
        LowerBoundBytes = live.Length == 0 ? 0 : live[PeakStep];
        NoReuseBytes = buffers.Sum(b => b.AlignedSize);
        // Only reports read it; the remat pass's search builds many plans and reads none.
        _savedActivationBytes = new Lazy<long>(() => SavedActivations(graph, steps, buffers));
    }

    private readonly Lazy<long> _savedActivationBytes;

    public Graph Graph { get; }

    /// <summary>The schedule planned, in run order; buffer intervals index it.</summary>
    public IReadOnlyList<MemoryStep> Steps { get; }

    /// <summary>The arena's buffers in definition order.</summary>
    public IReadOnlyList<PlannedBuffer> Buffers { get; }

    /// <summary>Outputs written into the storage of the inputs they update (parameters, optimizer state), when the caller donates them.</summary>
    public IReadOnlyList<Donation> Donations { get; }

    /// <summary>The arena's size: the end of its highest buffer.</summary>
    public long ArenaBytes { get; }

    /// <summary>The most bytes live at one step: no placement of these lifetimes needs less.</summary>
    public long LowerBoundBytes { get; }

    /// <summary>The arena if no two buffers shared memory.</summary>
    public long NoReuseBytes { get; }

    /// <summary>
    /// For a training step (its first output the loss): bytes of forward values — those the loss depends on — that a
    /// step outside the forward part (backward or optimizer update) reads, so they are kept from the forward into the
    /// backward part. Zero for a graph with no such reader (inference).
    /// </summary>
    public long SavedActivationBytes => _savedActivationBytes.Value;

    /// <summary>Bytes of arena buffers live at each step (aligned sizes; an in-place result counted from the step after its own).</summary>
    public IReadOnlyList<long> LiveBytes { get; }

    /// <summary>The step where <see cref="LowerBoundBytes"/> are live (-1 for an empty schedule).</summary>
    public int PeakStep { get; }

    /// <summary>Which placement order (and whether in-place reuse) gave the smallest arena.</summary>
    public string Heuristic { get; }

    /// <summary>
    /// The buffers whose bytes are live at <see cref="PeakStep"/>, largest first: their aligned sizes sum to
    /// <see cref="LowerBoundBytes"/> (a buffer written in place there is counted as the input whose bytes it takes).
    /// </summary>
    public IReadOnlyList<PlannedBuffer> LiveAtPeak => Buffers.Where(b => b.OccupiesAt(PeakStep)).OrderByDescending(b => b.Size).ToArray();

    public static long AlignUp(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;

    private static long SavedActivations(Graph graph, IReadOnlyList<MemoryStep> steps, IReadOnlyList<PlannedBuffer> buffers)
    {
        // The forward part is what remat calls it: the loss (output 0) and everything it depends on.
        var forward = RematAnalysis.Of(graph).Forward;
        var liveness = new Liveness(graph, steps);
        var readByLater = steps.Where(s => !forward.Contains(s.Produces))
            .SelectMany(s => s.Reads.Append(s.AliasOf).OfType<Value>().Select(liveness.Underlying))
            .OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        return buffers.Where(b => forward.Contains(b.Value) && readByLater.Contains(b.Value)).Sum(b => b.AlignedSize);
    }

    /// <summary>
    /// The report: four lines a script can read (<c>arena bytes: N</c>, <c>lower bound bytes: N</c>,
    /// <c>no-reuse bytes: N</c>, <c>saved activation bytes: N</c>), then the live set at the peak step, each buffer
    /// with its shape, producing op, offset, lifetime and C# source line.
    /// </summary>
    public string Format()
    {
        var names = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < Graph.Nodes.Count; i++)
        {
            names[Graph.Nodes[i]] = $"%{i}";
        }
        string Name(Node node) => names.TryGetValue(node, out var name) ? name : "%?";
        var recomputed = RematAnalysis.Of(Graph).Recomputed;
        var isRecomputed = recomputed.ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(inv, $"arena bytes: {ArenaBytes}\n")
            .Append(inv, $"lower bound bytes: {LowerBoundBytes}\n")
            .Append(inv, $"no-reuse bytes: {NoReuseBytes}\n")
            .Append(inv, $"saved activation bytes: {SavedActivationBytes}\n")
            .Append(inv, $"recomputed values: {recomputed.Count} ({recomputed.Sum(n => n.Type.SizeInBytes)} bytes, copies of forward values computed again for the backward)\n")
            .Append(inv, $"donated bytes: {Donations.Sum(d => d.Output.Type.SizeInBytes)} ({Donations.Count} outputs written into the inputs they update)\n")
            .Append(inv, $"buffers: {Buffers.Count}  steps: {Steps.Count}  alignment: {Alignment}  placement: {Heuristic}\n");
        if (PeakStep < 0)
        {
            return text.ToString();
        }
        var peak = Steps[PeakStep].Produces;
        text.Append(inv, $"live at the peak, step {PeakStep} ({Name(peak)} {peak.Op.Name}):\n");
        foreach (var buffer in LiveAtPeak)
        {
            var node = buffer.Value;
            text.Append(inv, $"  {Name(node)} {node.Type} {node.Op.Name}  offset {buffer.Offset}  bytes {buffer.Size}  steps {buffer.Def}..{buffer.LastUse}");
            if (isRecomputed.Contains(node))
            {
                text.Append("  recomputed");
            }
            if (buffer.InPlaceOf is { } host)
            {
                text.Append(inv, $"  in place of {Name(host)}");
            }
            text.Append(node.Loc.IsKnown ? $"  ({node.Loc})\n" : "\n");
        }
        return text.ToString();
    }
}
