using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>ReLU6 (<c>torch.nn.functional.relu6</c>): min(max(x, 0), 6), which is hardtanh(x, 0, 6) as in PyTorch (gradient 0 at 0 and 6).</summary>
    public static Tensor Relu6(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return Hardtanh(x, 0.0, 6.0);
    }
}
