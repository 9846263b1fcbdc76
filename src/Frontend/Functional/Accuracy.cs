using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Classification accuracy: the fraction (an f32 scalar) of the predictions whose arg-max over the classes equals
    /// the label, for scores <paramref name="logits"/> [N, C, d1, ...] (class dimension 1, as
    /// <see cref="CrossEntropy"/>; also [N, C]) and integer <paramref name="labels"/> [N, d1, ...]. Ties go to the
    /// lowest class index (<see cref="Tensor.ArgMax"/>). Not differentiable.
    /// </summary>
    public static Tensor Accuracy(Tensor logits, Tensor labels, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = logits.At(file, line);
        int[] expected = logits.Rank >= 2 ? [logits.Shape[0], .. logits.Shape.ToArray()[2..]] : [-1];
        if (logits.Rank < 2 || !labels.DType.IsInteger() || !labels.Shape.SequenceEqual(expected))
        {
            throw logits.Error("accuracy", $"expects scores [N, C, d1, ...] and integer labels [N, d1, ...], got {logits.Type} and {labels.Type}", labels);
        }
        return logits.ArgMax(1).Eq(labels.CastTo(DType.I64)).CastTo(DType.F32).Mean();
    }
}
