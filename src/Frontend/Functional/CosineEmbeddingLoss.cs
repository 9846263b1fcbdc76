using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Cosine embedding loss (<c>torch.nn.functional.cosine_embedding_loss</c>) of rows <paramref name="input1"/>,
    /// <paramref name="input2"/> [N, D] (or single vectors [D]) with labels <paramref name="target"/> [N] (or a scalar):
    /// with cos = x1·x2 / √((|x1|² + ε)(|x2|² + ε)), ε = 1e-12 as PyTorch's, 1 − cos where y = 1, max(0, cos − margin)
    /// where y = −1, and 0 for other labels; default <paramref name="margin"/> = 0. Reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor CosineEmbeddingLoss(Tensor input1, Tensor input2, Tensor target, double margin = 0.0, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input1.At(file, line);
        CheckReduction(reduction);
        if (input1.Rank is not (1 or 2) || input1.Shape != input2.Shape || target.Rank != input1.Rank - 1
            || (target.Rank == 1 && target.Shape[0] != input1.Shape[0]))
        {
            throw input1.Error("cosine_embedding_loss", "expects inputs [N,D] and targets [N] (or [D] and a scalar)", input2, target);
        }
        const double Epsilon = 1e-12;
        var product = (input1 * input2).Sum(-1);
        var squared1 = (input1 * input1).Sum(-1) + Epsilon;
        var squared2 = (input2 * input2).Sum(-1) + Epsilon;
        var cosine = product / (squared1 * squared2).Sqrt();
        var positive = Where(target.Eq(1.0), -cosine + 1.0, 0.0);
        var negative = Where(target.Eq(-1.0), (cosine - margin).Maximum(0.0), 0.0);
        return ApplyReduction(positive + negative, reduction);
    }
}
