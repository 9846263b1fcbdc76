using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>x − logsumexp(x) along <paramref name="axis"/>.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x - LogSumExp(x, axis, keepDims: true);
    }
}
