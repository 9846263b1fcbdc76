using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>max(x, 0). NaN stays NaN.</summary>
    public static Tensor Relu(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x.Maximum(0.0);
    }
}
