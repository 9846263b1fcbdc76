using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// ELU (<c>torch.nn.functional.elu</c>): x where x &gt; 0, else α·(eˣ − 1), default <paramref name="alpha"/> = 1.
    /// The exponential only sees min(x, 0) (chosen by a second where, not a max, so the derivative at 0 is α as in
    /// PyTorch), so large positive x gives no inf and no NaN gradient.
    /// </summary>
    public static Tensor Elu(Tensor x, double alpha = 1.0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        var positive = x > 0.0;
        var negativePart = Where(positive, 0.0, x);
        return Where(positive, x, negativePart.Expm1() * alpha);
    }
}
