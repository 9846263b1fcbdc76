using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// ReLU (<c>torch.nn.functional.relu</c>): max(x, 0). NaN stays NaN. The derivative at exactly 0 is ½ (the max
    /// primitive splits the gradient of a tie evenly), where PyTorch uses 0.
    /// </summary>
    public static Tensor Relu(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x.Maximum(0.0);
    }
}
