using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Hard swish (<c>torch.nn.functional.hardswish</c>): 0 where x ≤ −3, x where x ≥ 3, else x·(x + 3)/6, which is
    /// x·relu6(x + 3)/6.
    /// </summary>
    public static Tensor Hardswish(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return Where(x <= -3.0, Full([], 0.0, x.DType), Where(x >= 3.0, x, x * (x + 3.0) / 6.0));
    }
}
