using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Poisson negative log-likelihood (<c>torch.nn.functional.poisson_nll_loss</c>) of rates given by
    /// <paramref name="input"/> at counts <paramref name="target"/>: with <paramref name="logInput"/> (the default, x is
    /// log λ) e^x − y·x, else x − y·log(x + ε) (ε = <paramref name="eps"/>, 1e-8). With <paramref name="full"/> it adds
    /// Stirling's approximation of log y!, y·log y − y + ½·log(2πy), where y &gt; 1 (0 elsewhere, as PyTorch). Reduced
    /// by <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor PoissonNllLoss(Tensor input, Tensor target, bool logInput = true, bool full = false, double eps = 1e-8,
        string reduction = "mean", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        var loss = logInput ? input.Exp() - target * input : input - target * (input + eps).Log();
        if (full)
        {
            // log sees 1 where y ≤ 1, so the branch where() drops never takes log of 0 or a negative count.
            var counted = target > 1.0;
            var y = Where(counted, target, 1.0);
            loss = loss + Where(counted, y * y.Log() - y + (y * (2 * Math.PI)).Log() * 0.5, 0.0);
        }
        return ApplyReduction(loss, reduction);
    }
}
