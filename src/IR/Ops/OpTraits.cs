namespace GraphDL.IR;

/// <summary>
/// What passes need to know about an op without knowing its name (MLIR's op interfaces, as flags).
/// Fusion, simplification and scheduling match on these.
/// </summary>
[Flags]
public enum OpTraits
{
    None = 0,
    /// <summary>Result element i depends only on operand elements i; all operands and the result share a shape.</summary>
    Elementwise = 1 << 0,
    /// <summary>Combines elements along axes into fewer elements.</summary>
    Reduction = 1 << 1,
    /// <summary>Moves or copies elements without arithmetic (reshape, permute, broadcast, slice, pad, concat).</summary>
    Movement = 1 << 2,
    /// <summary>Sums of products over inner dimensions or windows (matmul, conv2d).</summary>
    Contraction = 1 << 3,
    /// <summary>Makes a tensor from attributes alone (constant, iota, full).</summary>
    Creation = 1 << 4,
    /// <summary>Draws counter-based random numbers; pure given its (seed, offset) operands.</summary>
    Random = 1 << 5,
    /// <summary>Reads or writes at data-dependent positions (gather, scatter_add).</summary>
    Indexing = 1 << 6,
    /// <summary>Binary op whose operands may be swapped.</summary>
    Commutative = 1 << 7,
    /// <summary>Produces bool from ordered or equality comparison.</summary>
    Comparison = 1 << 8,
}
