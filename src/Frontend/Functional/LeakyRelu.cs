using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Leaky ReLU (<c>torch.nn.functional.leaky_relu</c>): x where x &gt; 0, else negative_slope·x; default
    /// <paramref name="negativeSlope"/> = 0.01. The derivative at 0 is negative_slope, as in PyTorch.
    /// </summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return Where(x > 0.0, x, x * negativeSlope);
    }
}
