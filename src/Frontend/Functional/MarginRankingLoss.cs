using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Margin ranking loss (<c>torch.nn.functional.margin_ranking_loss</c>): max(0, −y·(x1 − x2) + margin) per element,
    /// y = 1 when x1 should rank higher and −1 when x2 should; default <paramref name="margin"/> = 0; reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor MarginRankingLoss(Tensor input1, Tensor input2, Tensor target, double margin = 0.0, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input1.At(file, line);
        CheckReduction(reduction);
        return ApplyReduction((-target * (input1 - input2) + margin).Maximum(0.0), reduction);
    }
}
