using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Negative log-likelihood (<c>torch.nn.functional.nll_loss</c>) of log-probabilities <paramref name="input"/>
    /// [N, C, d1, ...] (class dimension 1; also [N, C] or unbatched [C]) at class indices <paramref name="target"/>
    /// [N, d1, ...] (or a scalar; i32 or i64). Per element ℓ = −w[t]·input[t], with class weights w =
    /// <paramref name="weight"/> ([C], the input's dtype; all 1 when null), and ℓ = 0 where t = <paramref name="ignoreIndex"/>
    /// (default −100). Reduced by <paramref name="reduction"/>: "mean" (the default) is Σ ℓ / Σ w[t] over the targets
    /// that are not ignored (PyTorch's rule: without weights, the number of such targets; NaN when every target is
    /// ignored, as in PyTorch), "sum" or "none". f16/bf16 input is computed in f32 and the result cast back. A target
    /// outside [0, C) other than ignoreIndex is an evaluation error of the gather.
    /// </summary>
    public static Tensor NllLoss(Tensor input, Tensor target, string reduction = "mean", Tensor? weight = null, int ignoreIndex = -100,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        CheckClassTargets("nll_loss", input, target, weight);
        bool single = input.Rank == 1;
        var x = Widened(single ? input.Reshape(1, input.Shape[0]) : input);
        var classes = single ? target.Reshape(1) : target;
        var (picked, weights, valid) = ClassTargetTerms(x, classes, weight, ignoreIndex);
        var loss = Where(valid, -(weights * picked), 0.0);
        return ReduceClassLoss(loss, weights, reduction, single).CastTo(input.DType);
    }

    /// <summary>
    /// Scores [N, C, d1, ...] (or [C]) of a float dtype, integer targets [N, d1, ...] (or a scalar), and class weights
    /// [C] of the scores' dtype: the shapes of nll_loss and cross_entropy with class-index targets.
    /// </summary>
    private static void CheckClassTargets(string op, Tensor input, Tensor target, Tensor? weight)
    {
        int[] expected = input.Rank >= 2 ? [input.Shape[0], .. input.Shape.ToArray()[2..]] : [];
        if (input.Rank < 1 || !input.DType.IsFloat() || !target.DType.IsInteger() || !target.Shape.SequenceEqual(expected))
        {
            throw input.Error(op, $"expects float scores [N, C, d1, ...] (or [C]) and integer class targets [N, d1, ...] (or a scalar), got {input.Type} and {target.Type}", target);
        }
        CheckClassWeight(op, input, weight);
    }

    /// <summary>Class weights are a [C] tensor of the scores' dtype (C the size of dimension 1, or 0 for unbatched scores).</summary>
    private static void CheckClassWeight(string op, Tensor input, Tensor? weight)
    {
        int classes = input.Shape[input.Rank == 1 ? 0 : 1];
        if (weight is not null && (weight.Rank != 1 || weight.Shape[0] != classes || weight.DType != input.DType))
        {
            throw input.Error(op, $"weight must be a {input.DType.Name()}[{classes}] tensor (one weight per class), got {weight.Type}", weight);
        }
    }

    /// <summary>f16 and bf16 scores widened to f32 (the losses accumulate there and cast back); other dtypes unchanged.</summary>
    private static Tensor Widened(Tensor x) => x.DType is DType.F16 or DType.BF16 ? x.CastTo(DType.F32) : x;

    /// <summary>
    /// For scores x [N, C, d...] and class targets [N, d...]: x[t] per element (class 0 where t is ignored), the
    /// weights w[t] in x's dtype (1 without class weights; 0 where ignored), and the not-ignored mask.
    /// </summary>
    private static (Tensor Picked, Tensor Weights, Tensor Valid) ClassTargetTerms(Tensor x, Tensor target, Tensor? weight, int ignoreIndex)
    {
        var valid = target.Ne(Full([], ignoreIndex, target.DType));
        var safe = Where(valid, target, Full([], 0, target.DType));
        var picked = x.Gather(1, safe.Unsqueeze(1)).Squeeze(1);
        var weights = weight is null
            ? valid.CastTo(x.DType)
            : Where(valid, Widened(weight).Gather(0, safe.Reshape(-1)).Reshape(target.Shape.ToArray()), 0.0);
        return (picked, weights, valid);
    }

    /// <summary>PyTorch's reduction of a class-target loss: "mean" divides by the sum of the weights of the targets not ignored.</summary>
    private static Tensor ReduceClassLoss(Tensor loss, Tensor weights, string reduction, bool single) => reduction switch
    {
        "mean" => loss.Sum() / weights.Sum(),
        "sum" => loss.Sum(),
        _ => single ? loss.Reshape() : loss,
    };
}
