using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Attention over q: [..., L, E], k: [..., S, E], v: [..., S, Ev] (<c>torch.nn.functional.scaled_dot_product_attention</c>):
    /// softmax(q·kᵀ·s + M)·v with s = <paramref name="scale"/>, by default 1/√E. Leading dimensions broadcast.
    /// <para>
    /// M masks scores: with <paramref name="causal"/>, position i attends to j only where j ≤ i (the lower triangle
    /// of [L, S], aligned at the top left as in PyTorch); a bool <paramref name="mask"/> keeps the scores where it is
    /// true (true means "takes part in attention"), a float mask is added to the scores. Masked scores become −∞
    /// before the softmax. A query row whose scores are all −∞ (every position masked) attends to nothing: its output
    /// is zeros and its gradients are zeros, as libtorch's attention gives (its safe softmax), not the NaN of
    /// softmax(−∞, ..., −∞). The softmax subtracts the row maximum where it is finite and 0 otherwise, and divides by
    /// the row's sum where that row has a finite maximum and by 1 otherwise, so no 0/0 or −∞ − (−∞) is formed.
    /// </para>
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, bool causal = false, Tensor? mask = null, double? scale = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = q.At(file, line);
        if (q.Rank < 2 || k.Rank < 2 || v.Rank < 2 || q.Size(-1) != k.Size(-1) || k.Size(-2) != v.Size(-2))
        {
            throw q.Error("attention", "expects q [..., L, E], k [..., S, E] and v [..., S, Ev]", k, v);
        }
        int l = q.Size(-2), s = k.Size(-2);
        var scores = q.MatMul(k.Transpose()) * (scale ?? 1 / Math.Sqrt(q.Size(-1)));
        if (causal)
        {
            var allowed = Iota([l, s], 0) >= Iota([l, s], 1);
            scores = Where(allowed, scores, double.NegativeInfinity);
        }
        if (mask is not null)
        {
            scores = mask.DType.IsBool() ? Where(mask, scores, double.NegativeInfinity) : scores + mask;
        }
        var max = scores.Max(-1, keepDims: true);
        var live = max > double.NegativeInfinity;
        var e = (scores - Where(live, max, 0.0)).Exp();
        var sum = e.Sum(-1, keepDims: true);
        return (e / Where(live, sum, 1.0)).MatMul(v);
    }
}
