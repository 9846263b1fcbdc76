using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Triplet margin loss (<c>torch.nn.functional.triplet_margin_loss</c>) of rows <paramref name="anchor"/>,
    /// <paramref name="positive"/>, <paramref name="negative"/> [N, D] (or [D]): max(0, d(a, p) − d(a, n) + margin) per
    /// row, with PyTorch's pairwise distance d(u, v) = ‖u − v + ε‖_p over the last axis; with <paramref name="swap"/>,
    /// d(a, n) is replaced by min(d(a, n), d(p, n)). Defaults: margin 1, p 2, ε 1e-6, no swap. Reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor TripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin = 1.0, double p = 2.0, double eps = 1e-6,
        bool swap = false, string reduction = "mean", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = anchor.At(file, line);
        CheckReduction(reduction);
        if (!(p > 0))
        {
            throw new ArgumentException($"triplet_margin_loss: p must be > 0, got {p}", nameof(p));
        }
        if (anchor.Rank is not (1 or 2) || positive.Shape != anchor.Shape || negative.Shape != anchor.Shape)
        {
            throw anchor.Error("triplet_margin_loss", "expects anchor, positive and negative of one shape [N,D] (or [D])", positive, negative);
        }
        Tensor Distance(Tensor u, Tensor v)
        {
            var difference = (u - v + eps).Abs();
            return p == 2 ? (difference * difference).Sum(-1).Sqrt()
                : p == 1 ? difference.Sum(-1)
                : difference.Pow(p).Sum(-1).Pow(1 / p);
        }
        var toPositive = Distance(anchor, positive);
        var toNegative = Distance(anchor, negative);
        if (swap)
        {
            toNegative = toNegative.Minimum(Distance(positive, negative));
        }
        return ApplyReduction((toPositive - toNegative + margin).Maximum(0.0), reduction);
    }
}
