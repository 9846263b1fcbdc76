using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Huber loss (<c>torch.nn.functional.huber_loss</c>): with d = x − y (broadcast), 0.5·d² where |d| &lt; δ, else
    /// δ·(|d| − 0.5·δ); default <paramref name="delta"/> = 1, which must be positive. It is δ times the smooth L1 loss
    /// with β = δ. Reduced by <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, string reduction = "mean", double delta = 1.0,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        if (!(delta > 0))
        {
            throw new ArgumentException($"huber_loss: delta must be > 0, got {delta}", nameof(delta));
        }
        var difference = input - target;
        var absolute = difference.Abs();
        return ApplyReduction(Where(absolute < delta, difference * difference * 0.5, (absolute - 0.5 * delta) * delta), reduction);
    }
}
