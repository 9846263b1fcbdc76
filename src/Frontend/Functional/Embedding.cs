using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Embedding lookup (<c>torch.nn.functional.embedding</c>): row <c>indices[...]</c> of <paramref name="weight"/>
    /// [V, D] for indices (i32 or i64) of any shape, giving [..., D]; a gather along axis 0, so the gradient of the
    /// weight is a scatter-add of the output gradient. Rows at <paramref name="paddingIdx"/> (negative counts from V;
    /// default none) get no gradient, as in PyTorch. An index outside [0, V) is an evaluation error.
    /// </summary>
    public static Tensor Embedding(Tensor indices, Tensor weight, int? paddingIdx = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = indices.At(file, line);
        if (!indices.DType.IsInteger() || weight.Rank != 2)
        {
            throw indices.Error("embedding", $"expects integer indices and a weight [V, D], got {indices.Type} and {weight.Type}", weight);
        }
        int vocabulary = weight.Shape[0], dim = weight.Shape[1];
        int count = checked((int)indices.Shape.ElementCount);
        var rows = weight.Gather(0, indices.Reshape(count, 1).Expand(count, dim));
        if (paddingIdx is { } padding)
        {
            int p = padding < 0 ? padding + vocabulary : padding;
            if (p < 0 || p >= vocabulary)
            {
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"padding_idx {padding} is out of range for {vocabulary} embeddings");
            }
            var isPadding = indices.Reshape(count, 1).Eq((double)p).Expand(count, dim);
            rows = Where(isPadding, Autodiff.StopGradient(rows), rows);
        }
        return rows.Reshape([.. indices.Shape.ToArray(), dim]);
    }
}
