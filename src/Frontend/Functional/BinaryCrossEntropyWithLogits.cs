using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Binary cross-entropy on logits (<c>torch.nn.functional.binary_cross_entropy_with_logits</c>): per element
    /// −w·(r·y·log σ(x) + (1 − y)·log(1 − σ(x))), with w = <paramref name="weight"/> and r = <paramref name="posWeight"/>
    /// (the weight of positive examples, e.g. [C] along the last dimension; each broadcast to the input's shape, 1 when
    /// null). Computed stably as PyTorch does: without r, max(x, 0) − x·y + log1p(exp(−|x|)); with r,
    /// (1 − y)·x − (1 + (r − 1)·y)·log σ(x), log σ(x) = min(x, 0) − log1p(exp(−|x|)). The exponential never exceeds 1,
    /// so logits of any size give exact, finite losses and gradients. Reduced by <paramref name="reduction"/>: "mean"
    /// (the default), "sum" or "none".
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, string reduction = "mean", Tensor? weight = null, Tensor? posWeight = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        CheckElementWeight("binary_cross_entropy_with_logits", input, weight, "weight");
        CheckElementWeight("binary_cross_entropy_with_logits", input, posWeight, "pos_weight");
        var loss = posWeight is null
            ? input.Maximum(0.0) - input * target + (-input.Abs()).Exp().Log1p()
            : (1.0 - target) * input - (1.0 + (posWeight - 1.0) * target) * LogSigmoid(input);
        return ApplyReduction(weight is null ? loss : loss * weight, reduction);
    }
}
