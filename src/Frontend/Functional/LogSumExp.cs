using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// <c>torch.logsumexp</c>: log Σ exp(x) along <paramref name="axis"/> (default the last), computed as
    /// m + log Σ exp(x − m) with m the row maximum, so large logits do not overflow. A row that is all −∞ gives −∞
    /// (m is replaced by 0 where it is not finite).
    /// </summary>
    public static Tensor LogSumExp(Tensor x, int axis = -1, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        var max = x.Max(axis, keepDims: true);
        var shift = Where(max.Abs() < double.PositiveInfinity, max, 0.0);
        var sum = (x - shift).Exp().Sum(axis, keepDims: true);
        var result = sum.Log() + shift;
        return keepDims ? result : result.Squeeze(axis);
    }
}
