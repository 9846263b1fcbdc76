using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>The hyperbolic tangent (<c>torch.tanh</c>); the <c>tanh</c> primitive.</summary>
    public static Tensor Tanh(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x.Tanh();
    }
}
