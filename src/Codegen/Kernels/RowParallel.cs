using System.Runtime.CompilerServices;
namespace GraphDL.Codegen.Kernels;

/// <summary>
/// Runs a generated kernel's rows on the thread pool: the rows are cut into contiguous chunks (a few per core, for
/// balance) and each chunk is one call of the kernel's row function, so every row is computed by one thread with
/// the same code, whatever the thread count.
/// </summary>
public static unsafe class RowParallel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void For(nint* buffers, long rows, delegate*<nint*, long, long, void> body)
    {
        long chunks = Math.Min(rows, 4L * Environment.ProcessorCount);
        nint pointers = (nint)buffers, function = (nint)body;
        Parallel.For(0L, chunks, chunk =>
        {
            long start = rows * chunk / chunks, end = rows * (chunk + 1) / chunks;
            ((delegate*<nint*, long, long, void>)function)((nint*)pointers, start, end);
        });
    }
}
