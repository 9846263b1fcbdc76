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
    /// <summary>
    /// Reads its operand's elements in their row-major order, unchanged (reshape): the result can name the operand's
    /// buffer, with no copy, and a loop kernel reads the operand in its place.
    /// </summary>
    View = 1 << 9,
    /// <summary>Repeats its operand along new or size-1 axes (broadcast_in_dim): a loop kernel reads it with stride 0 there.</summary>
    Broadcast = 1 << 10,
    /// <summary>
    /// Folds the elements of its reduced axes with one associative elementwise op (<c>ReductionOp.Combiner</c>), so a
    /// loop kernel computes it row by row: reduce_sum, reduce_max, reduce_min; not reduce_window or the arg reductions.
    /// </summary>
    RowReduction = 1 << 11,
    /// <summary>A unary op without attributes that undoes itself: op(op(x)) is x, bit for bit (neg, not).</summary>
    Involution = 1 << 12,
    /// <summary>A unary op without attributes that changes nothing the second time: op(op(x)) is op(x), bit for bit (abs, floor, ceil, sign, stop_gradient).</summary>
    Idempotent = 1 << 13,
}
