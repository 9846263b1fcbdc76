using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Log-sigmoid (<c>torch.nn.functional.logsigmoid</c>): log(1/(1 + e⁻ˣ)) = −softplus(−x), computed as
    /// min(x, 0) − log1p(e^(−|x|)) (PyTorch's form): the exponential never exceeds 1, so x = ±1e4 gives x and 0
    /// exactly with finite gradients, and there is no softplus threshold to cost precision near it.
    /// </summary>
    public static Tensor LogSigmoid(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x.Minimum(0.0) - (-x.Abs()).Exp().Log1p();
    }
}
