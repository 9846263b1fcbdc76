using GraphDL.IR;

namespace GraphDL.Codegen.KernelIR;

/// <summary>Whether a kernel reads or writes a buffer.</summary>
public enum BufferAccess
{
    Read,
    Write,
}

/// <summary>
/// A buffer of a kernel: its tensor type and, per axis of the kernel's iteration space (in loop order), the element
/// stride used to address it (0 where the buffer is broadcast along that axis). A buffer whose strides on all inner
/// axes are 0 is row-level: one element per row (see <see cref="Kernel"/>).
/// </summary>
public sealed record KernelBuffer(int Index, TensorType Type, BufferAccess Access, long[] Strides)
{
    /// <summary>Row-major strides of <paramref name="shape"/> (the identity addressing).</summary>
    public static long[] RowMajor(Shape shape) => shape.Strides();
}

/// <summary>Where a kernel value lives: once per row (invariant along the inner axes) or once per element.</summary>
public enum ValueLevel
{
    Row,
    Element,
}

/// <summary>How a <see cref="KernelReduce"/> combines the elements of a row.</summary>
public enum ReductionKind
{
    Sum,
    Max,
    Min,
}

/// <summary>One value of a kernel's computation (static single assignment, in order).</summary>
public abstract record KernelValue(DType DType);

/// <summary>The element of buffer <see cref="Buffer"/> at the current iteration point (at the row, for a row-level buffer).</summary>
public sealed record KernelLoad(int Buffer, DType DType) : KernelValue(DType);

/// <summary>A scalar constant (an IR literal).</summary>
public sealed record KernelConstant(Scalar Value) : KernelValue(Value.DType);

/// <summary>An elementwise op applied to earlier values (indices into the kernel's value list).</summary>
public sealed record KernelApply(OpDef Op, int[] Arguments, AttributeMap Attributes, DType DType) : KernelValue(DType);

/// <summary>
/// The <see cref="Kind"/>-reduction of value <see cref="Operand"/> over the inner axes of the current row: a row-level
/// value. Semantics are those of the IR's reduce ops (elements combined in row-major order of the inner axes, NaN
/// propagates through max/min, an empty sum is 0, an empty max −inf, an empty min +inf).
/// </summary>
public sealed record KernelReduce(ReductionKind Kind, int Operand, DType DType) : KernelValue(DType);

/// <summary>Stores value <see cref="Value"/> into buffer <see cref="Buffer"/> (once per row for a row-level buffer).</summary>
public sealed record KernelStore(int Buffer, int Value);

/// <summary>
/// A loop-level kernel: an iteration space, buffers with their addressing, a DAG of loads, constants, elementwise ops
/// and row reductions, and stores. It records the graph nodes it computes (with their source lines) so generated
/// code can say where it came from. The C# renderer consumes it; a PTX renderer can consume the same.
/// </summary>
/// <remarks>
/// <para><b>Iteration space.</b> <see cref="Space"/> is in loop order: its first <c>Rank − InnerRank</c> axes are the
/// outer axes (the rows, enumerated in row-major order; a row is addressed by a per-buffer row offset), its last
/// <see cref="InnerRank"/> axes the inner ones (the elements of a row). A lowering permutes the graph's axes so that
/// reduced axes come last; the buffers' strides are given in this permuted order, so any stride pattern can appear
/// (a renderer vectorizes only where the inner stride is 1). Kernels without reductions have one inner axis (the
/// last), or none at rank 0.</para>
/// <para><b>Levels.</b> A value is row-level (<see cref="ValueLevel.Row"/>) when it is invariant along the inner axes:
/// constants, loads of row-level buffers, reductions, and ops of row-level values only. Everything else is
/// element-level. A row-level value used by an element-level one is broadcast over the row (a scalar splatted into a
/// vector, a register shared by the threads of a row).</para>
/// <para><b>Phases.</b> Each row runs in passes over its inner elements. <see cref="KernelSchedule.PhaseOf"/>: loads and constants
/// are phase 0, an op has the largest phase of its arguments, and a reduction of a phase-p value is accumulated in
/// pass p and ready from phase p + 1. An element-level value of phase p is computed in pass p (recomputed there
/// from its inputs, as TorchInductor does for softmax, rather than kept between passes); a row-level value of phase p
/// is computed once per row after pass p − 1. Pass p computes the reductions of phase-p operands and the element
/// stores of phase-p values; row stores come after the last pass. <see cref="KernelSchedule.PassCount"/> is the number of passes,
/// e.g. 3 for softmax (max, sum of exponentials, normalized store), 1 for an elementwise kernel.</para>
/// </remarks>
public sealed class Kernel
{
    public Kernel(string name, Shape space, IReadOnlyList<KernelBuffer> buffers, IReadOnlyList<KernelValue> values,
        IReadOnlyList<KernelStore> stores, IReadOnlyList<Node> sources, int? innerRank = null)
    {
        Name = name;
        Space = space;
        Buffers = buffers;
        Values = values;
        Stores = stores;
        Sources = sources;
        InnerRank = innerRank ?? Math.Min(1, space.Rank);
        if (InnerRank < 0 || InnerRank > space.Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(innerRank), $"inner rank {InnerRank} for a rank-{space.Rank} space");
        }
        Schedule = new KernelSchedule(this, IsRowBuffer);
    }

    public string Name { get; }

    /// <summary>The iteration space in loop order: outer (row) axes, then <see cref="InnerRank"/> inner axes.</summary>
    public Shape Space { get; }

    /// <summary>How many trailing axes of <see cref="Space"/> are inner (reduced, or the vectorized last axis).</summary>
    public int InnerRank { get; }

    public IReadOnlyList<KernelBuffer> Buffers { get; }

    public IReadOnlyList<KernelValue> Values { get; }

    public IReadOnlyList<KernelStore> Stores { get; }

    /// <summary>The graph nodes this kernel computes.</summary>
    public IReadOnlyList<Node> Sources { get; }

    /// <summary>The levels and phases of the values, and the number of passes over each row (see the remarks).</summary>
    public KernelSchedule Schedule { get; }

    /// <summary>
    /// Whether the kernel can run on any rectangle of its rank-2 space on its own (rank 2, elementwise): a GEMM
    /// epilogue then runs on each finished tile of the product while it is in cache.
    /// </summary>
    public bool SupportsTiles => Space.Rank == 2 && InnerRank == 1 && !HasReductions;

    /// <summary>Whether the kernel reduces over its inner axes (else it is elementwise).</summary>
    public bool HasReductions => Values.Any(v => v is KernelReduce);

    /// <summary>The number of rows: the product of the outer axes.</summary>
    public long RowCount => Enumerable.Range(0, Space.Rank - InnerRank).Aggregate(1L, (n, a) => n * Space[a]);

    /// <summary>The number of elements in a row: the product of the inner axes.</summary>
    public long InnerCount => Enumerable.Range(Space.Rank - InnerRank, InnerRank).Aggregate(1L, (n, a) => n * Space[a]);

    /// <summary>
    /// What the kernel computes, as text, leaving out its name and the graph nodes it came from: its space, its
    /// buffers' types, accesses and strides, its values (ops with their attributes, constants with their bits,
    /// loads, reductions) and its stores. Two kernels with the same key generate the same code, so a program
    /// compiles one and calls it for both (the time steps of an unrolled recurrence repeat the same few kernels).
    /// </summary>
    public string StructuralKey => _structuralKey ??= BuildStructuralKey();

    private string? _structuralKey;

    private string BuildStructuralKey()
    {
        var key = new System.Text.StringBuilder();
        key.Append("space ").Append(Space).Append(" inner ").Append(InnerRank).Append('\n');
        foreach (var b in Buffers)
        {
            key.Append('b').Append(b.Index).Append(' ').Append(b.Type).Append(' ').Append(b.Access).Append(" [").AppendJoin(',', b.Strides).Append("]\n");
        }
        for (int v = 0; v < Values.Count; v++)
        {
            key.Append('v').Append(v).Append(" = ").Append(Values[v] switch
            {
                KernelLoad load => $"load b{load.Buffer} {load.DType}",
                KernelConstant constant => constant.Value.DType.IsFloat()
                    ? $"constant {constant.Value.DType} {BitConverter.DoubleToInt64Bits(constant.Value.AsDouble()):X16}"
                    : $"constant {constant.Value.DType} {constant.Value.AsInt64()}",
                KernelApply apply => $"{apply.Op.Name}({string.Join(',', apply.Arguments)}) {apply.Attributes} {apply.DType}",
                KernelReduce reduce => $"reduce {reduce.Kind}({reduce.Operand}) {reduce.DType}",
                var other => throw new InvalidOperationException($"no structural key for {other.GetType().Name}"),
            }).Append('\n');
        }
        foreach (var store in Stores)
        {
            key.Append("store b").Append(store.Buffer).Append(" v").Append(store.Value).Append('\n');
        }
        return key.ToString();
    }

    /// <summary>Whether buffer <paramref name="buffer"/> has one element per row (stride 0 on every inner axis).</summary>
    public bool IsRowBuffer(int buffer) => Buffers[buffer].Strides.Skip(Space.Rank - InnerRank).All(s => s == 0);
}
