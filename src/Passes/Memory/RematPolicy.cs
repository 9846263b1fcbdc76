using System.Globalization;

namespace GraphDL.Passes.Memory;

/// <summary>What the <c>remat</c> pass keeps (saves) for the backward and what it recomputes.</summary>
public enum RematKind
{
    /// <summary>Save every forward value the backward reads (only <c>F.Checkpoint</c> regions are recomputed).</summary>
    None,
    /// <summary>Chen et al. 2016: cut the forward into about √n segments, save only values crossing a cut.</summary>
    Sqrt,
    /// <summary>Recompute, cheapest first, until the estimated peak of live bytes fits <see cref="RematPolicy.BudgetBytes"/>.</summary>
    Budget,
}

/// <summary>
/// A rematerialization policy: <c>none</c>, <c>sqrt</c> or <c>budget=BYTES</c> (as the <c>--remat=</c> flag and
/// <c>CompileOptions.Remat</c> write it). Sizes take a binary suffix: <c>budget=64MB</c> is 64·2²⁰ bytes.
/// </summary>
public sealed record RematPolicy(RematKind Kind, long BudgetBytes = 0)
{
    public static RematPolicy None { get; } = new(RematKind.None);

    public static RematPolicy Sqrt { get; } = new(RematKind.Sqrt);

    public static RematPolicy Budget(long bytes) => bytes > 0
        ? new(RematKind.Budget, bytes)
        : throw new ArgumentOutOfRangeException(nameof(bytes), $"a memory budget must be positive, got {bytes}");

    /// <summary>Parses <c>none</c>, <c>sqrt</c>, <c>budget=N</c>, <c>budget=64MB</c> (suffixes B, KB, MB, GB; powers of 1024).</summary>
    public static RematPolicy Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return None;
        }
        if (trimmed.Equals("sqrt", StringComparison.OrdinalIgnoreCase))
        {
            return Sqrt;
        }
        if (trimmed.StartsWith("budget=", StringComparison.OrdinalIgnoreCase) && ParseBytes(trimmed["budget=".Length..]) is { } bytes && bytes > 0)
        {
            return Budget(bytes);
        }
        throw new ArgumentException($"unknown remat policy '{text}': expected none, sqrt or budget=BYTES (e.g. budget=64MB)", nameof(text));
    }

    /// <summary>A byte count with an optional B/KB/MB/GB suffix (powers of 1024), or null if it is not one.</summary>
    public static long? ParseBytes(string text)
    {
        var t = text.Trim().ToUpperInvariant();
        (string Suffix, long Scale)[] units = [("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10), ("B", 1)];
        long scale = 1;
        foreach (var (suffix, factor) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                scale = factor;
                break;
            }
        }
        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= long.MaxValue / scale ? n * scale : null;
    }

    private static readonly AsyncLocal<RematPolicy?> AmbientPolicy = new();

    /// <summary>The policy set for a scope (by <c>graphdl compile --remat=</c> around a script); null outside one.</summary>
    public static RematPolicy? Ambient => AmbientPolicy.Value;

    /// <summary>Makes <paramref name="policy"/> the <see cref="Ambient"/> policy until the result is disposed.</summary>
    public static IDisposable Use(RematPolicy policy)
    {
        var outer = AmbientPolicy.Value;
        AmbientPolicy.Value = policy;
        return new Scope(() => AmbientPolicy.Value = outer);
    }

    private sealed class Scope(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    public override string ToString() => Kind switch
    {
        RematKind.None => "none",
        RematKind.Sqrt => "sqrt",
        _ => $"budget={BudgetBytes}",
    };
}
