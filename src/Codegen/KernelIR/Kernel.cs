using GraphDL.IR;

namespace GraphDL.Codegen.KernelIR;

/// <summary>Whether a kernel reads or writes a buffer.</summary>
public enum BufferAccess
{
    Read,
    Write,
}

/// <summary>
/// A buffer of a kernel: its tensor type and, per axis of the kernel's iteration space, the element stride used to
/// address it (0 where the buffer is broadcast along that axis). Written buffers are contiguous in iteration order.
/// </summary>
public sealed record KernelBuffer(int Index, TensorType Type, BufferAccess Access, long[] Strides)
{
    /// <summary>Row-major strides of <paramref name="shape"/> (the identity addressing).</summary>
    public static long[] RowMajor(Shape shape) => shape.Strides();
}

/// <summary>One value of a kernel's per-element computation (static single assignment, in order).</summary>
public abstract record KernelValue(DType DType);

/// <summary>The element of buffer <see cref="Buffer"/> at the current iteration point.</summary>
public sealed record KernelLoad(int Buffer, DType DType) : KernelValue(DType);

/// <summary>A scalar constant (an IR literal).</summary>
public sealed record KernelConstant(Scalar Value) : KernelValue(Value.DType);

/// <summary>An elementwise op applied to earlier values (indices into the kernel's value list).</summary>
public sealed record KernelApply(OpDef Op, int[] Arguments, AttributeMap Attributes, DType DType) : KernelValue(DType);

/// <summary>Stores value <see cref="Value"/> into buffer <see cref="Buffer"/>.</summary>
public sealed record KernelStore(int Buffer, int Value);

/// <summary>
/// A loop-level kernel: an iteration space (a shape), buffers with their addressing, a per-element DAG of loads,
/// constants and elementwise ops, and stores. It records the graph nodes it computes (with their source lines) so
/// generated code can say where it came from. A C# renderer consumes it today; a PTX renderer can consume the same.
/// </summary>
public sealed class Kernel(string name, Shape space, IReadOnlyList<KernelBuffer> buffers, IReadOnlyList<KernelValue> values,
    IReadOnlyList<KernelStore> stores, IReadOnlyList<Node> sources)
{
    public string Name { get; } = name;

    public Shape Space { get; } = space;

    public IReadOnlyList<KernelBuffer> Buffers { get; } = buffers;

    public IReadOnlyList<KernelValue> Values { get; } = values;

    public IReadOnlyList<KernelStore> Stores { get; } = stores;

    /// <summary>The graph nodes this kernel computes.</summary>
    public IReadOnlyList<Node> Sources { get; } = sources;
}
