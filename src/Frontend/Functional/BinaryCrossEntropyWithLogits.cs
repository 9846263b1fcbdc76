using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Binary cross-entropy on logits (<c>torch.nn.functional.binary_cross_entropy_with_logits</c>): per element
    /// −(y·log σ(x) + (1 − y)·log(1 − σ(x))), computed stably as max(x, 0) − x·y + log1p(exp(−|x|)) (exact and finite
    /// for logits of any size); reduced by <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        var loss = input.Maximum(0.0) - input * target + (-input.Abs()).Exp().Log1p();
        return ApplyReduction(loss, reduction);
    }
}
