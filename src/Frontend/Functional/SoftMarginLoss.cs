using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Soft margin loss (<c>torch.nn.functional.soft_margin_loss</c>): log(1 + e^(−y·x)) per element, y = ±1, computed
    /// as −logsigmoid(y·x) so that large |x| neither overflows nor loses the small values. Reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor SoftMarginLoss(Tensor input, Tensor target, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        return ApplyReduction(-LogSigmoid(target * input), reduction);
    }
}
