using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Softplus (<c>torch.nn.functional.softplus</c>): log(1 + e^(β·x))/β, and x itself where β·x &gt;
    /// <paramref name="threshold"/> (for stability, as PyTorch does). Defaults β = 1, threshold = 20. The exponential
    /// only sees values ≤ threshold, so neither the value nor the gradient overflows.
    /// </summary>
    public static Tensor Softplus(Tensor x, double beta = 1.0, double threshold = 20.0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        var scaled = x * beta;
        var linear = scaled > threshold;
        var safe = Where(linear, 0.0, scaled);
        return Where(linear, x, safe.Exp().Log1p() / beta);
    }
}
