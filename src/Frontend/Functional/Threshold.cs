using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Threshold (<c>torch.nn.functional.threshold</c>): x where x &gt; <paramref name="threshold"/>, else
    /// <paramref name="value"/> (both required, as in PyTorch); the gradient is 1 where x &gt; threshold, else 0.
    /// </summary>
    public static Tensor Threshold(Tensor x, double threshold, double value, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return Where(x > threshold, x, Full([], value, x.DType));
    }
}
