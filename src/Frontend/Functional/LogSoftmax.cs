using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Log-softmax (<c>torch.log_softmax</c>): x − logsumexp(x) along <paramref name="axis"/> (default the last); exact
    /// for logits of ±1e4. f16 and bf16 are computed in f32 and cast back: in f16, logsumexp(3e4, 3e4) = 3e4 + log 2
    /// rounds to 3e4 and both results would be 0 instead of −log 2.
    /// </summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        var wide = Widened(x);
        return (wide - LogSumExp(wide, axis, keepDims: true)).CastTo(x.DType);
    }
}
