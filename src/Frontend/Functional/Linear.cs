using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>x·Wᵀ + b for W of shape [out, in] (<c>torch.nn.functional.linear</c>).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        var y = x.MatMul(weight.Transpose());
        return bias is null ? y : y + bias;
    }
}
