using System.Runtime.CompilerServices;
namespace GraphDL.Codegen.Kernels;

/// <summary>
/// torch.gather and torch.scatter_add along one axis, with the IR's semantics: for every position p of the index
/// tensor, the element of x at p with axis coordinate <c>index[p]</c> is read (gather) or added to (scatter_add), in
/// row-major order of p. Gather moves raw element bits (exact for every dtype); scatter_add adds in double, as the
/// reference does, so rounding once afterwards gives its result bit for bit.
/// </summary>
/// <remarks>
/// The callers check <see cref="InRange"/> first: an index outside [0, size) is the reference's evaluation error, so
/// they let the reference raise it.
/// </remarks>
public static unsafe class AxisIndexing
{
    /// <summary>Whether every index lies in [0, <paramref name="size"/>).</summary>
    public static bool InRange(ReadOnlySpan<long> index, int size)
    {
        foreach (long i in index)
        {
            if ((ulong)i >= (ulong)size)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>result[p] = x[p with axis coordinate index[p]], elements of <paramref name="elementSize"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(byte* x, ReadOnlySpan<int> xShape, ReadOnlySpan<long> index, ReadOnlySpan<int> indexShape, int axis,
        byte* result, int elementSize)
    {
        switch (elementSize)
        {
            case 1: Gather((byte*)x, xShape, index, indexShape, axis, (byte*)result); break;
            case 2: Gather((ushort*)x, xShape, index, indexShape, axis, (ushort*)result); break;
            case 4: Gather((uint*)x, xShape, index, indexShape, axis, (uint*)result); break;
            case 8: Gather((ulong*)x, xShape, index, indexShape, axis, (ulong*)result); break;
            default: throw new ArgumentOutOfRangeException(nameof(elementSize), $"no {elementSize}-byte elements");
        }
    }

    /// <summary>x[p with axis coordinate index[p]] += source[p] for every p in row-major order, all in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScatterAdd(double* x, ReadOnlySpan<int> xShape, ReadOnlySpan<long> index, ReadOnlySpan<int> indexShape, int axis,
        ReadOnlySpan<double> source)
    {
        var at = new Addresses(xShape, indexShape, axis);
        for (int p = 0; p < index.Length; p++)
        {
            x[at.Next(index[p])] += source[p];
        }
    }

    private static void Gather<T>(T* x, ReadOnlySpan<int> xShape, ReadOnlySpan<long> index, ReadOnlySpan<int> indexShape, int axis, T* result)
        where T : unmanaged
    {
        var at = new Addresses(xShape, indexShape, axis);
        for (int p = 0; p < index.Length; p++)
        {
            result[p] = x[at.Next(index[p])];
        }
    }

    /// <summary>
    /// Walks the index positions in row-major order (an odometer over the index shape) and gives each one's address
    /// in x: the position's own coordinates on every axis but <c>axis</c>, the index there.
    /// </summary>
    private sealed class Addresses
    {
        private readonly int[] _shape;
        private readonly long[] _strides;
        private readonly int[] _position;
        private readonly long _axisStride;
        private long _base;
        private bool _started;

        public Addresses(ReadOnlySpan<int> xShape, ReadOnlySpan<int> indexShape, int axis)
        {
            _shape = indexShape.ToArray();
            _position = new int[_shape.Length];
            _strides = new long[_shape.Length];
            long stride = 1;
            for (int d = xShape.Length - 1; d >= 0; d--)
            {
                _strides[d] = d == axis ? 0 : stride;
                if (d == axis)
                {
                    _axisStride = stride;
                }
                stride *= xShape[d];
            }
        }

        /// <summary>The address of the next position, whose index along the axis is <paramref name="index"/>.</summary>
        public long Next(long index)
        {
            if (_started)
            {
                for (int d = _shape.Length - 1; d >= 0; d--)
                {
                    _base += _strides[d];
                    if (++_position[d] < _shape[d])
                    {
                        break;
                    }
                    _base -= _strides[d] * _shape[d];
                    _position[d] = 0;
                }
            }
            _started = true;
            return _base + index * _axisStride;
        }
    }
}
