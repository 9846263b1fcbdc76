using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Power-average pooling (<c>torch.nn.functional.lp_pool2d</c>) over the two spatial axes of an NCHW tensor:
    /// (Σ_window x^p)^(1/p) for norm type <paramref name="p"/> (p = 1 is sum pooling, p → ∞ approaches max pooling).
    /// As in PyTorch the input is not made absolute (use non-negative inputs or an even p), there is no padding, and
    /// <paramref name="stride"/> defaults to the kernel size.
    /// </summary>
    public static Tensor LpPool2d(Tensor input, double p, int kernel, int? stride = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckPoolInput("lp_pool2d", input);
        if (!(p > 0) || double.IsInfinity(p))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"lp_pool2d: the norm type p must be positive and finite, got {p}");
        }
        var powered = p == 1 ? input : input.Pow(p);
        var sum = Pool(powered, "sum", kernel, stride ?? kernel, 0);
        return p == 1 ? sum : sum.Pow(1 / p);
    }
}
