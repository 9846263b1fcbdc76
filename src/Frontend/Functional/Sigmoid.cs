using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>The logistic function σ(x) = 1/(1 + e⁻ˣ) (<c>torch.sigmoid</c>); the <c>logistic</c> primitive.</summary>
    public static Tensor Sigmoid(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x.Sigmoid();
    }
}
