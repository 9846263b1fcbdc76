using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Smooth L1 loss (<c>torch.nn.functional.smooth_l1_loss</c>): with d = x − y (broadcast), 0.5·d²/β where
    /// |d| &lt; β, else |d| − 0.5·β; default <paramref name="beta"/> = 1; β = 0 is the L1 loss and β &lt; 0 an error,
    /// as in PyTorch. Reduced by <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, string reduction = "mean", double beta = 1.0,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        if (!(beta >= 0))
        {
            throw new ArgumentException($"smooth_l1_loss: beta must be >= 0, got {beta}", nameof(beta));
        }
        var difference = input - target;
        var absolute = difference.Abs();
        var loss = beta == 0 ? absolute : Where(absolute < beta, difference * difference * (0.5 / beta), absolute - 0.5 * beta);
        return ApplyReduction(loss, reduction);
    }
}
