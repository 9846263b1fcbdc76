using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>Log-softmax (<c>torch.log_softmax</c>): x − logsumexp(x) along <paramref name="axis"/> (default the last); exact for logits of ±1e4.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x - LogSumExp(x, axis, keepDims: true);
    }
}
