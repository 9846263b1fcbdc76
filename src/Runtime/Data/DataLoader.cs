using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Runtime.Data;

/// <summary>
/// Mini-batches over a data set of samples <c>x</c> [N, ...] and targets <c>y</c> [N, ...] (usually [N]): each batch
/// copies its rows into new tensors [B, ...]. With <c>shuffle</c>, epoch e visits the samples in a permutation that
/// depends only on (seed, e) — the same seed gives the same batches on every run and machine, and different epochs
/// give different orders. Every sample appears exactly once per epoch, except the last N mod B with
/// <c>dropLast</c>, which leaves out the short final batch. A compiled training step or inference function takes the
/// short batch too: it compiles once for that shape and keeps it.
/// </summary>
public sealed class DataLoader
{
    private readonly HostTensor _x;
    private readonly HostTensor _y;

    /// <summary>A loader over <paramref name="x"/> [N, ...] and <paramref name="y"/> [N, ...] (the tensors are read, never copied whole).</summary>
    /// <param name="x">Samples, one per row of the leading axis.</param>
    /// <param name="y">Targets, as many as samples.</param>
    /// <param name="batchSize">Samples per batch (the last batch may be shorter unless <paramref name="dropLast"/>).</param>
    /// <param name="shuffle">Visit the samples in a seeded random order that changes every epoch; else in order.</param>
    /// <param name="seed">Seed of the shuffle: equal seeds give equal batches.</param>
    /// <param name="dropLast">Leave out a final batch shorter than <paramref name="batchSize"/>.</param>
    public DataLoader(HostTensor x, HostTensor y, int batchSize, bool shuffle = true, long seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (x.Shape.Rank == 0 || y.Shape.Rank == 0)
        {
            throw new ArgumentException($"x and y need a leading sample axis, got x {x.Type} and y {y.Type}");
        }
        if (x.Shape[0] != y.Shape[0])
        {
            throw new ArgumentException($"x has {x.Shape[0]} samples ({x.Type}) but y has {y.Shape[0]} ({y.Type})", nameof(y));
        }
        _x = x;
        _y = y;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
    }

    /// <summary>Number of samples N.</summary>
    public int SampleCount => _x.Shape[0];

    public int BatchSize { get; }

    public bool Shuffle { get; }

    public long Seed { get; }

    /// <summary>Whether a final batch shorter than <see cref="BatchSize"/> is left out.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch: ⌊N/B⌋ with <see cref="DropLast"/>, else ⌈N/B⌉.</summary>
    public int BatchCount => DropLast ? SampleCount / BatchSize : (SampleCount + BatchSize - 1) / BatchSize;

    /// <summary>
    /// The order in which epoch <paramref name="epoch"/> visits the samples: a permutation of 0..N−1 (the identity
    /// without shuffle). Fisher–Yates driven by Philox4x32-10 keyed by the seed, with counter (step, attempt, epoch),
    /// drawing each index without bias.
    /// </summary>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        int n = SampleCount;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        if (!Shuffle)
        {
            return order;
        }
        ulong key = unchecked((ulong)Seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = UniformBelow((ulong)i + 1, (uint)i, (uint)epoch, (uint)key, (uint)(key >> 32));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The batches of epoch <paramref name="epoch"/>, in order; each is a fresh copy (x [B, ...], y [B, ...]).</summary>
    public IEnumerable<(HostTensor X, HostTensor Y)> Epoch(int epoch) => Batches(Order(epoch));

    private IEnumerable<(HostTensor X, HostTensor Y)> Batches(int[] order)
    {
        int batches = BatchCount;
        for (int b = 0; b < batches; b++)
        {
            int start = b * BatchSize;
            var rows = order.AsSpan(start, Math.Min(BatchSize, order.Length - start)).ToArray();
            yield return (Gather(_x, rows), Gather(_y, rows));
        }
    }

    /// <summary>A uniform integer in [0, bound): Lemire's multiply-shift on 64 random bits, rejecting the biased few.</summary>
    private static int UniformBelow(ulong bound, uint step, uint epoch, uint k0, uint k1)
    {
        ulong threshold = (0 - bound) % bound; // 2^64 mod bound
        for (uint attempt = 0; ; attempt++)
        {
            var (w0, w1, w2, w3) = Philox.Block((step, attempt, epoch, 0), k0, k1);
            foreach (ulong word in (ReadOnlySpan<ulong>)[((ulong)w0 << 32) | w1, ((ulong)w2 << 32) | w3])
            {
                UInt128 product = (UInt128)word * bound;
                if ((ulong)product >= threshold)
                {
                    return (int)(ulong)(product >> 64);
                }
            }
        }
    }

    /// <summary>The given rows of <paramref name="source"/>, stacked into a new tensor of the same dtype.</summary>
    private static HostTensor Gather(HostTensor source, int[] rows) => source.DType switch
    {
        DType.F32 => Gather<float>(source, rows),
        DType.F64 => Gather<double>(source, rows),
        DType.F16 => Gather<Half>(source, rows),
        DType.BF16 => Gather<BFloat16>(source, rows),
        DType.I32 => Gather<int>(source, rows),
        DType.I64 => Gather<long>(source, rows),
        DType.Bool => Gather<bool>(source, rows),
        _ => throw new NotSupportedException($"dtype {source.DType.Name()}"),
    };

    private static HostTensor Gather<T>(HostTensor source, int[] rows) where T : struct
    {
        var data = source.AsSpan<T>();
        int rowSize = source.Shape[0] == 0 ? 0 : checked((int)(source.ElementCount / source.Shape[0]));
        var result = new T[checked(rows.Length * rowSize)];
        for (int r = 0; r < rows.Length; r++)
        {
            data.Slice(rows[r] * rowSize, rowSize).CopyTo(result.AsSpan(r * rowSize, rowSize));
        }
        var dims = source.Shape.ToArray();
        dims[0] = rows.Length;
        return HostTensor.FromArray(new Shape(dims), result);
    }
}
