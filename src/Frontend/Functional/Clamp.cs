using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Clamp (<c>torch.clamp</c>): min(max(x, <paramref name="min"/>), <paramref name="max"/>), either bound optional
    /// (at least one is required, as in PyTorch). The gradient is 1 where min ≤ x ≤ max (bounds included, as
    /// PyTorch's clamp_backward) and 0 outside; NaN stays NaN. When min &gt; max every element becomes max, as in
    /// PyTorch. The bounds take x's dtype.
    /// </summary>
    public static Tensor Clamp(Tensor x, double? min = null, double? max = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        if (min is null && max is null)
        {
            throw new ArgumentException("clamp needs at least one of min and max");
        }
        var result = x;
        if (min is { } lo)
        {
            // min(max(x, lo), hi) is hi everywhere when lo > hi; lowering lo to hi gives that with one where less.
            lo = max is { } h ? Math.Min(lo, h) : lo;
            result = Where(x < lo, Full([], lo, x.DType), result);
        }
        if (max is { } hi)
        {
            result = Where(x > hi, Full([], hi, x.DType), result);
        }
        return result;
    }
}
