using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Hard sigmoid (<c>torch.nn.functional.hardsigmoid</c>): 0 where x ≤ −3, 1 where x ≥ 3, else x/6 + 1/2. The
    /// gradient is 1/6 strictly inside (−3, 3) and 0 elsewhere, as PyTorch's.
    /// </summary>
    public static Tensor Hardsigmoid(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return Where(x <= -3.0, Full([], 0.0, x.DType), Where(x >= 3.0, Full([], 1.0, x.DType), x / 6.0 + 0.5));
    }
}
