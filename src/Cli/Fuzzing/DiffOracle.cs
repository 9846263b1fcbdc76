using System.Globalization;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// What the compiled CPU backend may return for one graph on one set of inputs. A bit-exact configuration must give
/// the interpreter's outputs bit for bit, NaN sign and payload aside (<see cref="BackendDiff.Same"/>); a fast one any
/// value within the fast-mode enclosure of each element (<see cref="FastModeEnclosures"/>: exact where no fast-mode
/// difference reaches the element, else within the worst-case error of the differences that do). The interpreter's
/// outputs and the enclosures are computed once, when first needed.
/// </summary>
internal sealed class DiffOracle(Graph graph, IReadOnlyList<HostTensor> inputs)
{
    private IReadOnlyList<HostTensor>? _expected;
    private IReadOnlyList<Enclosure>? _fast;

    public Graph Graph => graph;

    public IReadOnlyList<HostTensor> Inputs => inputs;

    /// <summary>The interpreter's outputs.</summary>
    public IReadOnlyList<HostTensor> Expected => _expected ??= ReferenceInterpreter.Run(graph, inputs);

    /// <summary>What fast mode may give for each output element.</summary>
    public IReadOnlyList<Enclosure> Fast => _fast ??= FastModeEnclosures.Of(graph, inputs);

    /// <summary>
    /// Null when <paramref name="actual"/> is an acceptable value of output <paramref name="output"/> for a bit-exact
    /// (<paramref name="exact"/>) or fast configuration; else the first element that is not, described.
    /// </summary>
    public string? Judge(bool exact, int output, HostTensor actual, DiffStats? stats)
    {
        var expected = Expected[output];
        if (actual.Type != expected.Type)
        {
            return $"type {actual.Type}, the interpreter gives {expected.Type}";
        }
        if (exact)
        {
            if (!BackendDiff.Same(actual, expected))
            {
                return BackendDiff.FirstDifference(actual, expected);
            }
            if (stats is not null && !actual.BitEquals(expected))
            {
                stats.NanBitsOnly++;
            }
            return null;
        }
        var enclosure = Fast[output];
        for (long i = 0; i < enclosure.Count; i++)
        {
            if (!enclosure.Allows(i, actual.GetDouble(i)))
            {
                return $"element [{string.Join(",", expected.Shape.Unravel(i))}] is {BackendDiff.Describe(actual, i)}, the interpreter gives "
                    + $"{BackendDiff.Describe(expected, i)}, and fast mode may give {Allowed(enclosure, i)}";
            }
            stats?.Count(enclosure, i);
        }
        return null;
    }

    private static string Allowed(Enclosure enclosure, long i)
    {
        if (enclosure.IsNaN(i))
        {
            return "only a NaN";
        }
        if (enclosure.IsExact(i))
        {
            return "only exactly that";
        }
        string Format(double v) => enclosure.Type.DType == DType.F32
            ? ((float)v).ToString("R", CultureInfo.InvariantCulture)
            : v.ToString("R", CultureInfo.InvariantCulture);
        return $"[{Format(enclosure.Lo[i])}, {Format(enclosure.Hi[i])}]";
    }
}

/// <summary>What the differential checks of a run compiled and judged.</summary>
internal sealed class DiffStats
{
    public int Programs { get; set; }

    /// <summary>Bit-exact configurations: outputs that matched only because NaN sign and payload are not compared.</summary>
    public int NanBitsOnly { get; set; }

    /// <summary>Fast configurations: elements that had to equal the interpreter's bit for bit.</summary>
    public long ExactElements { get; private set; }

    /// <summary>Fast configurations: elements judged against a range.</summary>
    public long BoundedElements { get; private set; }

    /// <summary>Fast configurations: elements any value was accepted for (the modelled error can change their class).</summary>
    public long UnconstrainedElements { get; private set; }

    public void Count(Enclosure enclosure, long i)
    {
        if (enclosure.IsUnconstrained(i))
        {
            UnconstrainedElements++;
        }
        else if (enclosure.IsExact(i))
        {
            ExactElements++;
        }
        else
        {
            BoundedElements++;
        }
    }

    public void Add(DiffStats other)
    {
        Programs += other.Programs;
        NanBitsOnly += other.NanBitsOnly;
        ExactElements += other.ExactElements;
        BoundedElements += other.BoundedElements;
        UnconstrainedElements += other.UnconstrainedElements;
    }

    public override string ToString()
    {
        long judged = ExactElements + BoundedElements + UnconstrainedElements;
        var fast = judged == 0 ? ""
            : string.Create(CultureInfo.InvariantCulture,
                $"; fast mode: {judged} elements judged, {100.0 * ExactElements / judged:F1}% exact, {100.0 * BoundedElements / judged:F1}% within a range, "
                + $"{100.0 * UnconstrainedElements / judged:F2}% unconstrained");
        return $"{Programs} programs compiled; {NanBitsOnly} bit-exact outputs differed only in NaN sign or payload{fast}";
    }
}
