using System.Collections;

namespace GraphDL.IR;

/// <summary>
/// A static tensor shape: a list of non-negative dimensions, row-major. Rank 0 is a scalar.
/// Text form: <c>[64,784]</c>; a scalar is <c>[]</c>. Immutable, compared by value.
/// </summary>
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[] _dims;
    private string? _text;

    public Shape(params int[] dims)
    {
        foreach (var d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape dimensions must be non-negative, got [{string.Join(",", dims)}]", nameof(dims));
            }
        }
        _dims = (int[])dims.Clone();
        long count = ProductOf(_dims);
        if (count > MaxElements)
        {
            throw new ArgumentException($"shape [{string.Join(",", dims)}] has more than 2^48 elements", nameof(dims));
        }
        ElementCount = count;
    }

    /// <summary>The most elements a shape may have (2^48), so element and byte counts never overflow a long.</summary>
    public const long MaxElements = 1L << 48;

    /// <summary>The shape of <paramref name="dims"/>, or null when a dimension is negative or there are more than <see cref="MaxElements"/> elements.</summary>
    public static Shape? TryCreate(params int[] dims) => dims.Any(d => d < 0) || ProductOf(dims) > MaxElements ? null : new Shape(dims);

    /// <summary>The product of non-negative <paramref name="dims"/>, or <see cref="MaxElements"/> + 1 for any product above it (never overflowing).</summary>
    private static long ProductOf(ReadOnlySpan<int> dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            count = d == 0 || count == 0 ? 0 : count > MaxElements / d ? MaxElements + 1 : count * d;
        }
        return count;
    }

    public Shape(IEnumerable<int> dims) : this(dims.ToArray())
    {
    }

    public static Shape Scalar { get; } = new();

    public int Rank => _dims.Length;

    /// <summary>Product of the dimensions (1 for a scalar, 0 when any dimension is 0).</summary>
    public long ElementCount { get; }

    public int this[int axis] => _dims[axis];

    public int Count => _dims.Length;

    public int[] ToArray() => (int[])_dims.Clone();

    public ReadOnlySpan<int> AsSpan() => _dims;

    /// <summary>Row-major strides in elements (the last axis has stride 1).</summary>
    public long[] Strides()
    {
        var strides = new long[Rank];
        long stride = 1;
        for (int axis = Rank - 1; axis >= 0; axis--)
        {
            strides[axis] = stride;
            stride *= _dims[axis];
        }
        return strides;
    }

    /// <summary>Splits a row-major flat index into one index per axis.</summary>
    public int[] Unravel(long flatIndex)
    {
        var index = new int[Rank];
        for (int axis = Rank - 1; axis >= 0; axis--)
        {
            int dim = _dims[axis];
            index[axis] = (int)(flatIndex % dim);
            flatIndex /= dim;
        }
        return index;
    }

    /// <summary>Joins a per-axis index into a row-major flat index.</summary>
    public long Ravel(ReadOnlySpan<int> index)
    {
        long flat = 0;
        for (int axis = 0; axis < Rank; axis++)
        {
            flat = flat * _dims[axis] + index[axis];
        }
        return flat;
    }

    /// <summary>Normalizes a possibly negative axis (Python style) and checks its range.</summary>
    public bool TryNormalizeAxis(int axis, out int normalized)
    {
        normalized = axis < 0 ? axis + Rank : axis;
        return normalized >= 0 && normalized < Rank;
    }

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in _dims)
        {
            hash.Add(d);
        }
        return hash.ToHashCode();
    }

    public static bool operator ==(Shape? left, Shape? right) => Equals(left, right);

    public static bool operator !=(Shape? left, Shape? right) => !Equals(left, right);

    /// <summary>Text form: <c>[64,784]</c>. Kept once made: kernel signatures and dumps format the same shapes thousands of times.</summary>
    public override string ToString() => _text ??= "[" + string.Join(",", _dims) + "]";

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();
}
