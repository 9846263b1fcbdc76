using System.Runtime.CompilerServices;
namespace GraphDL.Codegen.Kernels;

/// <summary>
/// Span overloads of the GEMM entry points, for managed callers (the interpreter, tests): the spans are checked to
/// hold every element the leading dimensions and strides reach, pinned, and passed to the pointer versions.
/// </summary>
public static unsafe partial class Gemm
{
    /// <summary>
    /// <c>Sgemm</c> over spans; each span must reach the last element of its matrix: for C, (m − 1)·ldc + n.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sgemm(
        int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        Span<float> c, int ldc, bool accumulate, int threads)
        => Sgemm(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, threads, BestIsa);

    /// <summary><c>SgemmBatched</c> over spans; each span must reach the last element of its last item.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SgemmBatched(
        int batch, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        Span<float> c, int ldc, bool accumulate, int threads,
        long strideA, long strideB, long strideC)
        => SgemmBatched(batch, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, threads,
            strideA, strideB, strideC, BestIsa);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Sgemm(
        int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        Span<float> c, int ldc, bool accumulate, int threads, GemmIsa isa)
        => SgemmBatched(1, m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, threads, 0, 0, 0, isa);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SgemmBatched(
        int batch, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transA,
        ReadOnlySpan<float> b, int ldb, bool transB,
        Span<float> c, int ldc, bool accumulate, int threads,
        long strideA, long strideB, long strideC, GemmIsa isa)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        Validate(m, n, k, lda, transA, ldb, transB, ldc, threads);
        RequireLength(nameof(a), a.Length, batch, strideA, transA ? k : m, transA ? m : k, lda);
        RequireLength(nameof(b), b.Length, batch, strideB, transB ? n : k, transB ? k : n, ldb);
        RequireLength(nameof(c), c.Length, batch, strideC, m, n, ldc);
        fixed (float* pa = a, pb = b, pc = c)
            SgemmBatched(batch, m, n, k, pa, lda, transA, pb, ldb, transB, pc, ldc, accumulate, threads,
                strideA, strideB, strideC, isa);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RequireLength(string name, int length, int batch, long stride, int rows, int columns, int ld)
    {
        if (batch == 0 || rows == 0 || columns == 0)
            return;
        long needed = (batch - 1) * stride + (rows - 1L) * ld + columns;
        if (length < needed)
            throw new ArgumentException(
                $"{name} holds {length} elements; a {rows}×{columns} matrix with leading dimension {ld}" +
                (batch > 1 ? $", {batch} items {stride} apart," : "") + $" needs {needed}", name);
    }
}
