using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Kullback–Leibler divergence (<c>torch.nn.functional.kl_div</c>) of log-probabilities <paramref name="input"/>
    /// from <paramref name="target"/>: per element y·(log y − x), taken as 0 where y = 0 (PyTorch's xlogy), or with
    /// <paramref name="logTarget"/> (y given as log-probabilities) e^y·(y − x). Reduced by
    /// <paramref name="reduction"/>: "mean" (the default, over all elements, as PyTorch's), "batchmean" (the sum over
    /// the batch size input.shape[0]: the true KL divergence per sample), "sum" or "none".
    /// </summary>
    public static Tensor KlDivLoss(Tensor input, Tensor target, string reduction = "mean", bool logTarget = false,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        if (reduction is not ("batchmean" or "mean" or "sum" or "none"))
        {
            throw new ArgumentException($"reduction must be \"mean\", \"batchmean\", \"sum\" or \"none\", got \"{reduction}\"", nameof(reduction));
        }
        Tensor loss;
        if (logTarget)
        {
            loss = target.Exp() * (target - input);
        }
        else
        {
            // log sees 1 where y = 0, so neither the value nor the gradient meets log 0 in the branch where() drops.
            var zero = target.Eq(0.0);
            loss = Where(zero, 0.0, target * Where(zero, 1.0, target).Log()) - target * input;
        }
        if (reduction == "batchmean")
        {
            return loss.Rank == 0 ? loss.Sum() : loss.Sum() / loss.Shape[0];
        }
        return ApplyReduction(loss, reduction);
    }
}
