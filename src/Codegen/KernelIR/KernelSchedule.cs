namespace GraphDL.Codegen.KernelIR;

/// <summary>
/// The level and phase of every value of a <see cref="Kernel"/> and its number of passes per row, as defined in the
/// remarks of <see cref="Kernel"/>. Built from a predicate saying which buffers are row-level, so a renderer that
/// addresses the kernel through a coalesced <see cref="KernelLayout"/> (where a size-1 inner axis disappears) can
/// schedule by what its loops actually see.
/// </summary>
public sealed class KernelSchedule
{
    private readonly ValueLevel[] _levels;
    private readonly int[] _phases;
    private readonly Func<int, bool> _isRowBuffer;

    public KernelSchedule(Kernel kernel, Func<int, bool> isRowBuffer)
    {
        _isRowBuffer = isRowBuffer;
        var values = kernel.Values;
        _levels = new ValueLevel[values.Count];
        _phases = new int[values.Count];
        for (int v = 0; v < values.Count; v++)
        {
            (_levels[v], _phases[v]) = values[v] switch
            {
                KernelLoad load => (isRowBuffer(load.Buffer) ? ValueLevel.Row : ValueLevel.Element, 0),
                KernelConstant => (ValueLevel.Row, 0),
                KernelReduce reduce => (ValueLevel.Row, _phases[reduce.Operand] + 1),
                KernelApply apply => (apply.Arguments.Any(a => _levels[a] == ValueLevel.Element) ? ValueLevel.Element : ValueLevel.Row,
                    apply.Arguments.Select(a => _phases[a]).DefaultIfEmpty(0).Max()),
                _ => throw new ArgumentException($"unknown kernel value {values[v].GetType().Name}", nameof(kernel)),
            };
        }
        PassCount = values.OfType<KernelReduce>().Select(r => _phases[r.Operand] + 1)
            .Concat(kernel.Stores.Where(s => !isRowBuffer(s.Buffer)).Select(s => _phases[s.Value] + 1))
            .DefaultIfEmpty(0).Max();
    }

    public ValueLevel LevelOf(int value) => _levels[value];

    /// <summary>The pass an element-level value is computed in, or the pass from which a row-level value is ready.</summary>
    public int PhaseOf(int value) => _phases[value];

    /// <summary>Whether a store into <paramref name="buffer"/> happens once per row (after the last pass).</summary>
    public bool IsRowBuffer(int buffer) => _isRowBuffer(buffer);

    /// <summary>The number of passes over each row's inner elements.</summary>
    public int PassCount { get; }
}
