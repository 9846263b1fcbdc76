namespace GraphDL.Codegen.Kernels;

/// <summary>
/// A callback the packed GEMM calls once for each finished tile of C, on the thread that computed the tile, right
/// after the tile's last k block is written: <c>function(args, r0, r1, c0, c1)</c> may then rewrite C's rows
/// [r0, r1) × columns [c0, c1) in place while they are still in cache (bias, activation, residual), so an
/// elementwise consumer of the product costs no second pass over C.
/// </summary>
/// <remarks>
/// Every element of C is passed exactly once, whatever the thread count, blocking and edge tiles; tiles may be
/// passed concurrently from several threads (they never overlap). Coordinates are those of the whole C: in a batch,
/// item i's row r is row i·m + r (items stacked as one (batch·m)×n matrix), except with a shared C (C stride 0),
/// which gets the epilogue once, after the last item has added its product. With k = 0 the whole C is one tile.
/// The GEMM reads nothing back from C after calling the epilogue for a tile.
/// </remarks>
public readonly unsafe struct GemmEpilogue(delegate*<nint*, long, long, long, long, void> function, nint* args)
{
    /// <summary>The callback, or null for none (the default value): then the GEMM only computes the product.</summary>
    public delegate*<nint*, long, long, long, long, void> Function { get; } = function;

    /// <summary>Passed to every call unchanged: typically the buffers the epilogue reads and writes.</summary>
    public nint* Args { get; } = args;

    /// <summary>Whether there is a callback.</summary>
    public bool IsSet => Function != null;

    internal void Invoke(long r0, long r1, long c0, long c1) => Function(Args, r0, r1, c0, c1);
}
