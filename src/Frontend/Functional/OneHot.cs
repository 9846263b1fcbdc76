using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// One-hot encoding (<c>torch.nn.functional.one_hot</c>): for class indices (i32 or i64) of any shape, a tensor of
    /// shape [..., <paramref name="numClasses"/>] holding 1 at position <c>indices[...]</c> and 0 elsewhere, built as
    /// eq(indices, iota) cast to <paramref name="dtype"/> (i64 by default, as PyTorch). numClasses must be given (the
    /// graph is static); an index outside [0, numClasses) gives a row of zeros. Not differentiable.
    /// </summary>
    public static Tensor OneHot(Tensor indices, int numClasses, DType dtype = DType.I64, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = indices.At(file, line);
        if (!indices.DType.IsInteger())
        {
            throw indices.Error("one_hot", $"expects integer class indices, got {indices.Type}");
        }
        if (numClasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numClasses), $"one_hot needs numClasses ≥ 1 (it cannot be inferred in a static graph), got {numClasses}");
        }
        int[] shape = [.. indices.Shape.ToArray(), numClasses];
        var classes = Iota(shape, shape.Length - 1, indices.DType);
        return indices.Unsqueeze(-1).Eq(classes).CastTo(dtype);
    }
}
