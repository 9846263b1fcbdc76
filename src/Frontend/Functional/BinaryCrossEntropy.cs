using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Binary cross-entropy of probabilities (<c>torch.nn.functional.binary_cross_entropy</c>):
    /// −w·(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)) per element, with w = <paramref name="weight"/>
    /// (broadcast to the input's shape; 1 when null). The logs are clamped at −100 as PyTorch does, so p = 0 or 1 gives
    /// a finite loss; reduced by <paramref name="reduction"/>: "mean" (the default), "sum" or "none". log(1 − p) is
    /// computed as log1p(−p). The gradient is that of the clamped function, finite everywhere: log is fed 1 where p = 0
    /// (and log1p 0 where p = 1), so its derivative 1/p never meets the zero the clamp multiplies it by (0·∞ = NaN); where
    /// a log is clamped its derivative is 0 (PyTorch's hand-written backward instead gives (p − y)/max(p·(1 − p), 1e-12)
    /// there). Prefer <see cref="BinaryCrossEntropyWithLogits"/> on logits.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, string reduction = "mean", Tensor? weight = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        CheckElementWeight("binary_cross_entropy", input, weight, "weight");
        var positive = input > 0.0;
        var logP = Where(positive, Where(positive, input, 1.0).Log(), -100.0).Maximum(-100.0);
        var belowOne = input < 1.0;
        var log1mP = Where(belowOne, (-Where(belowOne, input, 0.0)).Log1p(), -100.0).Maximum(-100.0);
        var loss = -(target * logP + (1.0 - target) * log1mP);
        return ApplyReduction(weight is null ? loss : loss * weight, reduction);
    }

    /// <summary>An element weight broadcasts to the input's shape and has its dtype.</summary>
    private static void CheckElementWeight(string op, Tensor input, Tensor? weight, string name)
    {
        if (weight is not null && (weight.DType != input.DType || Promotion.BroadcastShapes(weight.Shape, input.Shape) != input.Shape))
        {
            throw input.Error(op, $"{name} must be a {input.DType.Name()} tensor that broadcasts to the input's shape {input.Shape}, got {weight.Type}", weight);
        }
    }
}
