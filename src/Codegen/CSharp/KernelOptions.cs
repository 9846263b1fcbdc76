namespace GraphDL.Codegen.CSharp;

/// <summary>
/// How <see cref="CSharpKernelRenderer"/> renders a kernel.
/// </summary>
/// <remarks>
/// <para><b>Exact</b> (<see cref="ExactMath"/> = true): every result equals the reference interpreter's bit for bit
/// (NaN payloads aside, see BackendDiff in the tests). Scalar code is each op's own C# snippet
/// (<see cref="IR.OpDef.CSharp"/>): exact in the dtype (+ − × ÷, √, neg, abs, floor, max, comparisons, ...) or
/// computed in double and rounded once, as the op's reference evaluation is (exp, pow, ...); only ops with exact
/// vector code (+ − × ÷, neg, abs, sqrt, max, min, comparisons, masks) are vectorized; reductions are scalar,
/// accumulate in the interpreter's order (row-major over the reduced axes) and, for sums, in double rounded once, as
/// <c>ReductionOp.Evaluate</c> does.</para>
/// <para><b>Fast</b> (false): f32 ops with fast-math code (<see cref="IR.SnippetForm.Fast"/>: exp, log, tanh,
/// logistic, erf, expm1, log1p, sin and cos) call
/// <see cref="Kernels.VectorMath"/> in the vector body and in the scalar tail alike, so an element's result does not
/// depend on where it falls; each is within VectorMath's stated bound of the correctly rounded value (1 ulp; 2 ulp
/// for logistic, sin, cos) where the interpreter is correctly rounded (0.5 ulp). Vectorized f32 sums accumulate in
/// f32 in 4 vector accumulators plus a scalar tail, reassociated: the error is bounded by about
/// (n/(4·lanes) + log2(lanes) + tail + 2)·2⁻²⁴·Σ|x| for a row of n, against the interpreter's double sum (rows that
/// cannot be vectorized accumulate in double as in exact mode). max and min reductions are exact in both modes.
/// f64 and all other ops are as in exact mode.</para>
/// </remarks>
public sealed record KernelOptions
{
    /// <summary>Bit-exact against the interpreter, for differential tests.</summary>
    public static KernelOptions Exact { get; } = new() { ExactMath = true };

    /// <summary>VectorMath transcendentals and vectorized reductions (see the remarks for the tolerance).</summary>
    public static KernelOptions Fast { get; } = new() { ExactMath = false };

    public bool ExactMath { get; init; }

    /// <summary>
    /// Also render <c>NAME_tile(nint* buffers, long r0, long r1, long c0, long c1)</c> for a rank-2 elementwise kernel
    /// (see <see cref="CSharpKernelRenderer.SupportsTile"/>), computing rows [r0, r1) × columns [c0, c1) only.
    /// </summary>
    public bool TileEntry { get; init; }

    /// <summary>
    /// Rows run in parallel (each row on one thread, so results do not depend on the thread count) when there is
    /// more than one row and rows × inner elements × element-level operations per element (loads, ops, reductions
    /// and stores, summed over the passes) reaches this; default 2^16, about 20 µs of single-threaded work, well above
    /// the cost of waking the thread pool.
    /// </summary>
    public long ParallelThreshold { get; init; } = 1 << 16;
}
