using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Multi-class margin loss (<c>torch.nn.functional.multi_margin_loss</c>) of scores <paramref name="input"/> [N, C]
    /// (or [C]) at integer classes <paramref name="target"/> [N] (or a scalar): per sample
    /// Σ_{i ≠ y} w_y·max(0, margin − x_y + x_i)^p / C, with p = 1 (the default) or 2, default
    /// <paramref name="margin"/> = 1 and optional class weights <paramref name="weight"/> [C]. Reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none". A target outside [0, C) is an evaluation
    /// error of the gather.
    /// </summary>
    public static Tensor MultiMarginLoss(Tensor input, Tensor target, int p = 1, double margin = 1.0, Tensor? weight = null, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        if (p is not (1 or 2))
        {
            throw new ArgumentException($"multi_margin_loss: p must be 1 or 2, got {p}", nameof(p));
        }
        if (input.Rank is not (1 or 2) || target.Rank != input.Rank - 1 || !target.DType.IsInteger()
            || (target.Rank == 1 && target.Shape[0] != input.Shape[0]))
        {
            throw input.Error("multi_margin_loss", "expects scores [N,C] and integer targets [N] (or [C] and a scalar)", target);
        }
        bool single = input.Rank == 1;
        var scores = single ? input.Reshape(1, input.Shape[0]) : input;
        int n = scores.Shape[0], classes = scores.Shape[1];
        if (weight is not null && (weight.Rank != 1 || weight.Shape[0] != classes))
        {
            throw input.Error("multi_margin_loss", $"weight must be [C] = [{classes}], got {weight.Type}", weight);
        }
        var column = target.Reshape(n, 1);
        var hinge = (scores - scores.Gather(1, column) + margin).Maximum(0.0);
        if (p == 2)
        {
            hinge = hinge * hinge;
        }
        if (weight is not null)
        {
            hinge = hinge * weight.Gather(0, target.Reshape(n)).Reshape(n, 1);
        }
        var others = Iota([n, classes], 1, target.DType).Ne(column);
        var loss = Where(others, hinge, 0.0).Sum(1) / classes;
        return ApplyReduction(single ? loss.Reshape() : loss, reduction);
    }
}
