using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>Softmax (<c>torch.softmax</c>): exp(x − max) / Σ exp(x − max) along <paramref name="axis"/> (default the last; stable for large logits).</summary>
    public static Tensor Softmax(Tensor x, int axis = -1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        var e = (x - x.Max(axis, keepDims: true)).Exp();
        return e / e.Sum(axis, keepDims: true);
    }
}
