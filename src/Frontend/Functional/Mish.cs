using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Mish (<c>torch.nn.functional.mish</c>): x·tanh(softplus(x)). Softplus is <see cref="Softplus"/> with its
    /// threshold of 20, so large x neither overflows the exponential nor gives a NaN gradient (tanh(20) is 1 to
    /// double precision, so the threshold costs nothing).
    /// </summary>
    public static Tensor Mish(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x * Softplus(x).Tanh();
    }
}
