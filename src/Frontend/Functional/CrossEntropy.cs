using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Cross-entropy (<c>torch.nn.functional.cross_entropy</c>) of <paramref name="logits"/> [N, C, d1, ...] (class
    /// dimension 1; also [N, C] or unbatched [C]), with ℓse = logsumexp over the classes (computed as
    /// m + log Σ exp(x − m), so logits of ±1e4 and beyond give exact, finite losses), ε = <paramref name="labelSmoothing"/>
    /// (default 0) and class weights w = <paramref name="weight"/> ([C], the logits' dtype; all 1 when null). The
    /// target is either:
    /// <list type="bullet">
    /// <item><b>class indices</b> [N, d1, ...] (or a scalar; i32 or i64). Per element
    /// <c>ℓ = (1 − ε)·w[t]·(ℓse − x[t]) + (ε/C)·Σ_c w[c]·(ℓse − x[c])</c> (= −(1 − ε)·w[t]·log p[t] − (ε/C)·Σ_c w[c]·log p[c]
    /// with p = softmax(x)), and ℓ = 0 where t = <paramref name="ignoreIndex"/> (default −100). "mean" is Σ ℓ / Σ w[t]
    /// over the targets not ignored (without weights, their number; NaN when every target is ignored): PyTorch's rule,
    /// the same denominator for the smoothing term.</item>
    /// <item><b>probabilities</b> q of the logits' shape and dtype. With smoothing q ← (1 − ε)·q + ε/C, then per element
    /// <c>ℓ = Σ_c w[c]·q[c]·(ℓse − x[c])</c>; "mean" divides Σ ℓ by the number of elements N·d1·… (not by weights, as
    /// PyTorch). ignoreIndex does not apply: giving one other than the default is an error (PyTorch ignores a negative
    /// one silently).</item>
    /// </list>
    /// Reduced by <paramref name="reduction"/>: "mean" (the default), "sum" or "none". f16/bf16 logits are computed in
    /// f32 and the result cast back, so ℓse keeps the digits its f16 rounding would lose. A class target outside
    /// [0, C) other than ignoreIndex is an evaluation error of the gather.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, double labelSmoothing = 0.0, string reduction = "mean",
        Tensor? weight = null, int ignoreIndex = -100, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = logits.At(file, line);
        CheckReduction(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"label_smoothing must be in [0, 1], got {labelSmoothing}");
        }
        bool probabilities = logits.Rank >= 1 && target.Shape == logits.Shape;
        if (!probabilities)
        {
            CheckClassTargets("cross_entropy", logits, target, weight);
        }
        else if (!logits.DType.IsFloat() || target.DType != logits.DType)
        {
            throw logits.Error("cross_entropy", $"probability targets must be a float tensor of the logits' shape and dtype, got logits {logits.Type} and target {target.Type}", target);
        }
        else if (ignoreIndex != -100)
        {
            throw logits.Error("cross_entropy", $"ignore_index ({ignoreIndex}) does not apply to probability targets (a target of the logits' shape); give class indices [N, d1, ...] to ignore some", target);
        }
        else
        {
            CheckClassWeight("cross_entropy", logits, weight);
        }
        bool single = logits.Rank == 1;
        var x = Widened(single ? logits.Reshape(1, logits.Shape[0]) : logits);
        int classes = x.Shape[1];
        var lse = LogSumExp(x, 1, keepDims: true);
        // w[c] broadcast along the class dimension of x: [1, C, 1, ...].
        var classWeight = weight is null ? null : Widened(weight).Reshape([1, classes, .. Enumerable.Repeat(1, x.Rank - 2)]);
        Tensor result;
        if (probabilities)
        {
            var q = Widened(single ? target.Reshape(1, classes) : target);
            if (labelSmoothing > 0)
            {
                q = q * (1 - labelSmoothing) + labelSmoothing / classes;
            }
            var terms = q * (lse - x);
            var loss = (classWeight is null ? terms : terms * classWeight).Sum(1);
            result = ApplyReduction(single ? loss.Reshape() : loss, reduction);
        }
        else
        {
            var (picked, weights, valid) = ClassTargetTerms(x, single ? target.Reshape(1) : target, weight, ignoreIndex);
            var rowLse = lse.Squeeze(1);
            var loss = weights * (rowLse - picked);
            if (labelSmoothing > 0)
            {
                var spread = classWeight is null ? lse - x : (lse - x) * classWeight;
                loss = loss * (1 - labelSmoothing) + spread.Sum(1) * (labelSmoothing / classes);
            }
            result = ReduceClassLoss(Where(valid, loss, 0.0), weights, reduction, single);
        }
        return result.CastTo(logits.DType);
    }
}
