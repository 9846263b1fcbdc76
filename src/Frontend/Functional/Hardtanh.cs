using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Hardtanh (<c>torch.nn.functional.hardtanh</c>): <paramref name="minVal"/> where x ≤ min_val,
    /// <paramref name="maxVal"/> where x ≥ max_val, else x; defaults −1 and 1. The gradient is 1 strictly inside
    /// (min_val, max_val) and 0 at and beyond the bounds, as PyTorch's hardtanh_backward.
    /// </summary>
    public static Tensor Hardtanh(Tensor x, double minVal = -1.0, double maxVal = 1.0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        if (minVal > maxVal)
        {
            throw new ArgumentException($"hardtanh: min_val ({minVal}) must not exceed max_val ({maxVal})", nameof(minVal));
        }
        return Where(x <= minVal, Full([], minVal, x.DType), Where(x >= maxVal, Full([], maxVal, x.DType), x));
    }
}
