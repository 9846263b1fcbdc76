using System.Globalization;

namespace GraphDL.IR;

/// <summary>
/// Host memory. Every array a tensor is stored in, and every buffer of a compiled program, is allocated here, after a
/// check that it can be: one .NET array holds at most <see cref="Array.MaxLength"/> elements, and no single tensor
/// may be larger than the memory this process may use (so it is refused with a message rather than half-allocated
/// and killed). An allocation that runs out of memory anyway is reported the same way, as a
/// <see cref="TensorAllocationException"/>.
/// </summary>
public sealed partial class HostTensor
{
    /// <summary>Below this many bytes an array cannot exceed the memory of any machine this runs on; the query is skipped.</summary>
    private const long SmallAllocation = 64L << 20;

    /// <summary>Throws <see cref="TensorAllocationException"/> when a tensor of <paramref name="type"/> cannot be allocated here.</summary>
    public static void CheckAllocatable(TensorType type) => Check(new Subject(type, null, type.DType, type.ElementCount), type.SizeInBytes, ElementLimit);

    private const string ElementLimit = "a host tensor holds at most {0} elements (one .NET array)";

    /// <summary>
    /// What is being allocated, put into words only when it cannot be: compiled programs allocate their outputs on
    /// every run, and formatting a name each time would cost more than the allocation.
    /// </summary>
    private readonly record struct Subject(TensorType? Type, string? Name, DType DType, long Count)
    {
        public override string ToString() => Name ?? Type?.ToString() ?? $"{DType.Name()}[{Count.ToString(CultureInfo.InvariantCulture)}]";
    }

    private static void Check(Subject what, long bytes, string tooMany)
    {
        if (what.Count > Array.MaxLength)
        {
            throw new TensorAllocationException(what.ToString(), bytes, string.Format(CultureInfo.InvariantCulture, tooMany, Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture)));
        }
        if (bytes > SmallAllocation && GC.GetGCMemoryInfo().TotalAvailableMemoryBytes is var available && bytes > available)
        {
            throw new TensorAllocationException(what.ToString(), bytes, $"this process may use at most {available.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        }
    }

    /// <summary>A fresh, zeroed array for <paramref name="type"/>'s elements.</summary>
    private static Array AllocateStorage(TensorType type) => AllocateStorage(new Subject(type, null, type.DType, type.ElementCount), zeroed: true, pinned: false);

    private static Array AllocateStorage(DType dtype, long count) => AllocateStorage(new Subject(null, null, dtype, count), zeroed: true, pinned: false);

    /// <summary>
    /// Checks, then allocates storage for <paramref name="what"/> (zeroed, or uninitialized for a result that code
    /// overwrites completely; pinned on the pinned object heap), reporting an out-of-memory failure as a
    /// <see cref="TensorAllocationException"/>.
    /// </summary>
    private static Array AllocateStorage(Subject what, bool zeroed, bool pinned)
    {
        long bytes = what.Count * what.DType.SizeInBytes();
        Check(what, bytes, ElementLimit);
        int n = (int)what.Count;
        try
        {
            return what.DType switch
            {
                DType.F32 => zeroed ? GC.AllocateArray<float>(n, pinned) : GC.AllocateUninitializedArray<float>(n, pinned),
                DType.F64 => zeroed ? GC.AllocateArray<double>(n, pinned) : GC.AllocateUninitializedArray<double>(n, pinned),
                DType.F16 => zeroed ? GC.AllocateArray<Half>(n, pinned) : GC.AllocateUninitializedArray<Half>(n, pinned),
                DType.BF16 => zeroed ? GC.AllocateArray<BFloat16>(n, pinned) : GC.AllocateUninitializedArray<BFloat16>(n, pinned),
                DType.I32 => zeroed ? GC.AllocateArray<int>(n, pinned) : GC.AllocateUninitializedArray<int>(n, pinned),
                DType.I64 => zeroed ? GC.AllocateArray<long>(n, pinned) : GC.AllocateUninitializedArray<long>(n, pinned),
                DType.Bool => zeroed ? GC.AllocateArray<bool>(n, pinned) : GC.AllocateUninitializedArray<bool>(n, pinned),
                _ => throw new ArgumentOutOfRangeException(nameof(what), $"no storage for {what.DType}"),
            };
        }
        catch (OutOfMemoryException)
        {
            throw new TensorAllocationException(what.ToString(), bytes, "out of memory");
        }
    }

    /// <summary>A fresh, zeroed array of the storage type of <paramref name="dtype"/>.</summary>
    internal static Array NewStorage(DType dtype, long count) => AllocateStorage(dtype, count);

    /// <summary>
    /// Uninitialized storage for a result that code overwrites completely; with <paramref name="pinned"/>, on the
    /// pinned object heap, so its address never changes and native code may keep it.
    /// </summary>
    internal static Array NewUninitializedStorage(DType dtype, long count, bool pinned) =>
        AllocateStorage(new Subject(null, null, dtype, count), zeroed: false, pinned);

    /// <summary>An uninitialized pinned byte buffer of <paramref name="bytes"/> bytes, named <paramref name="what"/> if it cannot be had.</summary>
    internal static byte[] NewPinnedBytes(long bytes, string what)
    {
        var subject = new Subject(null, what, DType.Bool, bytes);
        Check(subject, bytes, "a host buffer holds at most {0} bytes (one .NET array)");
        try
        {
            return GC.AllocateUninitializedArray<byte>((int)bytes, pinned: true);
        }
        catch (OutOfMemoryException)
        {
            throw new TensorAllocationException(what, bytes, "out of memory");
        }
    }

    /// <summary>
    /// Seeded random values for tests and sanitizers: floats standard normal, integers uniform in [0, 10), bools
    /// fair coins. The same <paramref name="random"/> state gives the same tensor on every machine. Values are drawn
    /// in chunks and rounded to the dtype as they go, so a large tensor needs no double-precision copy of itself.
    /// </summary>
    /// <exception cref="TensorAllocationException">The tensor cannot be allocated.</exception>
    public static HostTensor Random(TensorType type, Random random)
    {
        long n = type.ElementCount;
        var storage = AllocateStorage(type);
        var chunk = new double[(int)Math.Min(n, 1 << 16)];
        for (long start = 0; start < n; start += chunk.Length)
        {
            int length = (int)Math.Min(chunk.Length, n - start);
            for (int i = 0; i < length; i++)
            {
                chunk[i] = Sample(type.DType, random);
            }
            var part = FromDoubles(type.DType, new Shape(length), chunk.AsSpan(0, length));
            Array.Copy(part._data, 0, storage, start, length);
        }
        return new HostTensor(type, storage);
    }

    /// <summary>One value of <see cref="Random"/>: integers and bools are drawn as whole numbers, which convert exactly.</summary>
    private static double Sample(DType dtype, Random random)
    {
        if (dtype.IsFloat())
        {
            // Box–Muller on two uniforms in (0, 1].
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return dtype.IsInteger() ? random.Next(10) : random.Next(2);
    }
}
