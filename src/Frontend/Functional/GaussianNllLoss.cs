using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Gaussian negative log-likelihood (<c>torch.nn.functional.gaussian_nll_loss</c>) of means
    /// <paramref name="input"/> and variances <paramref name="var"/> at <paramref name="target"/>: ½·(log v + (x − y)²/v)
    /// per element with v = max(var, ε) (ε = <paramref name="eps"/>, 1e-6), plus ½·log 2π with <paramref name="full"/>.
    /// As in PyTorch the clamp is made without autograd, so the gradient reaches var as if unclamped. var has input's
    /// shape, or input's without the last axis, or a last axis of 1 (one variance per row). Reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none". A negative var is not detected (the values
    /// are unknown while tracing).
    /// </summary>
    public static Tensor GaussianNllLoss(Tensor input, Tensor target, Tensor var, bool full = false, double eps = 1e-6, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        var variance = var;
        if (var.Shape != input.Shape)
        {
            var leading = input.Shape.ToArray()[..^1];
            if (input.Rank >= 1 && var.Shape.ToArray().SequenceEqual(leading))
            {
                variance = var.Unsqueeze(-1);
            }
            else if (!(input.Rank >= 1 && var.Rank == input.Rank && var.Shape[var.Rank - 1] == 1 && var.Shape.ToArray()[..^1].SequenceEqual(leading)))
            {
                throw input.Error("gaussian_nll_loss", "var must have input's shape, input's without the last axis, or a last axis of 1", target, var);
            }
        }
        // Straight-through clamp: the value is max(var, eps), the derivative that of var itself.
        variance = variance + Autodiff.StopGradient(variance.Maximum(eps) - variance);
        var difference = input - target;
        var loss = (variance.Log() + difference * difference / variance) * 0.5;
        if (full)
        {
            loss = loss + 0.5 * Math.Log(2 * Math.PI);
        }
        return ApplyReduction(loss, reduction);
    }
}
