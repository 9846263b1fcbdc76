using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>Softsign (<c>torch.nn.functional.softsign</c>): x / (1 + |x|).</summary>
    public static Tensor Softsign(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x / (x.Abs() + 1.0);
    }
}
