using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Negative log-likelihood (<c>torch.nn.functional.nll_loss</c>) of log-probabilities <paramref name="input"/>
    /// [N, C] at class indices <paramref name="target"/> [N] (i32 or i64): −input[i, target[i]] per row, reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none". There is no ignore_index: a target outside
    /// [0, C) is an evaluation error of the gather.
    /// </summary>
    public static Tensor NllLoss(Tensor input, Tensor target, string reduction = "mean", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        CheckClassTargets("nll_loss", input, target);
        int n = input.Shape[0];
        var picked = input.Gather(1, target.Reshape(n, 1)).Reshape(n);
        return ApplyReduction(-picked, reduction);
    }

    /// <summary>Scores [N, C] and integer class indices [N], the shapes of nll_loss and cross_entropy.</summary>
    private static void CheckClassTargets(string op, Tensor input, Tensor target)
    {
        if (input.Rank != 2 || target.Rank != 1 || target.Shape[0] != input.Shape[0] || !target.DType.IsInteger())
        {
            throw input.Error(op, $"expects scores [N,C] and integer targets [N], got {input.Type} and {target.Type}", target);
        }
    }
}
