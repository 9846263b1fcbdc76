using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Cross-entropy (<c>torch.nn.functional.cross_entropy</c>) of <paramref name="logits"/> [N, C] against class
    /// indices <paramref name="target"/> [N] (i32 or i64). With label smoothing ε (default 0) the target distribution
    /// is (1 − ε)·onehot + ε/C, so per row
    /// <c>loss = logsumexp(x) − (1 − ε)·x[target] − (ε/C)·Σ_c x[c]</c>
    /// (= −(1 − ε)·log p[target] − (ε/C)·Σ_c log p[c] with p = softmax(x)), reduced by <paramref name="reduction"/>:
    /// "mean" (the default), "sum" or "none". Only differences of logits to their logsumexp (computed as
    /// m + log Σ exp(x − m)) appear, so logits of any size (±1e4 and beyond) give exact, finite losses.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, double labelSmoothing = 0.0, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = logits.At(file, line);
        CheckReduction(reduction);
        CheckClassTargets("cross_entropy", logits, target);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"label_smoothing must be in [0, 1], got {labelSmoothing}");
        }
        int n = logits.Shape[0];
        var lse = LogSumExp(logits, 1);
        var picked = logits.Gather(1, target.Reshape(n, 1)).Reshape(n);
        var loss = labelSmoothing == 0
            ? lse - picked
            : lse - picked * (1 - labelSmoothing) - logits.Mean(1) * labelSmoothing;
        return ApplyReduction(loss, reduction);
    }
}
