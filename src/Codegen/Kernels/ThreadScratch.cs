using System.Runtime.InteropServices;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// Two 64-byte-aligned float buffers owned by one thread (a kernel keeps one in a <c>[ThreadStatic]</c> field),
/// grown on demand and kept while the thread lives; when the thread ends the object becomes unreachable and its
/// finalizer frees them. Growing does not keep the contents. Used for GEMM packing panels and conv2d's im2col.
/// </summary>
internal sealed unsafe class ThreadScratch
{
    private float* _first, _second;
    private long _firstCapacity, _secondCapacity;

    ~ThreadScratch()
    {
        NativeMemory.AlignedFree(_first);
        NativeMemory.AlignedFree(_second);
    }

    public float* First => _first;

    public float* Second => _second;

    /// <summary>Makes the buffers hold at least <paramref name="firstFloats"/> and <paramref name="secondFloats"/> floats.</summary>
    public ThreadScratch Ensure(long firstFloats, long secondFloats)
    {
        Grow(ref _first, ref _firstCapacity, firstFloats);
        Grow(ref _second, ref _secondCapacity, secondFloats);
        return this;
    }

    private static void Grow(ref float* buffer, ref long capacity, long floats)
    {
        if (floats <= capacity)
        {
            return;
        }
        NativeMemory.AlignedFree(buffer);
        buffer = null;
        capacity = 0;
        buffer = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
        capacity = floats;
    }
}
