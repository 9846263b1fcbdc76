using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Binary cross-entropy of probabilities (<c>torch.nn.functional.binary_cross_entropy</c>):
    /// −(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)) per element, the logs clamped at −100 as PyTorch does so
    /// p = 0 or 1 gives a finite loss; reduced by <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// log(1 − p) is computed as log1p(−p). Prefer <see cref="BinaryCrossEntropyWithLogits"/> on logits.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        var logP = input.Log().Maximum(-100.0);
        var log1mP = (-input).Log1p().Maximum(-100.0);
        return ApplyReduction(-(target * logP + (1.0 - target) * log1mP), reduction);
    }
}
