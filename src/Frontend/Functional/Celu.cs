using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// CELU (<c>torch.nn.functional.celu</c>): max(0, x) + min(0, α·(e^(x/α) − 1)), default <paramref name="alpha"/> = 1
    /// (α = 0 is an error, as in PyTorch). As in <see cref="Elu"/>, the exponential only sees min(x, 0), so large x
    /// gives no inf and no NaN gradient.
    /// </summary>
    public static Tensor Celu(Tensor x, double alpha = 1.0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        if (alpha == 0)
        {
            throw new ArgumentException("celu: alpha must not be 0 (x/alpha)", nameof(alpha));
        }
        var positive = x > 0.0;
        var negativePart = Where(positive, 0.0, x);
        return Where(positive, x, (negativePart / alpha).Expm1() * alpha);
    }
}
