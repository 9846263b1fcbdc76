using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Mean cross-entropy of <paramref name="logits"/> [N, C] against class indices <paramref name="target"/> [N]
    /// (i32 or i64): mean over the batch of logsumexp(logits) − logits[target]. Stable for logits of any size.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = logits.At(file, line);
        if (logits.Rank != 2 || target.Rank != 1 || target.Shape[0] != logits.Shape[0] || !target.DType.IsInteger())
        {
            throw logits.Error("cross_entropy", $"expects logits [N,C] and integer targets [N], got {logits.Type} and {target.Type}", target);
        }
        int n = logits.Shape[0];
        var picked = logits.Gather(1, target.Reshape(n, 1)).Reshape(n);
        return (LogSumExp(logits, 1) - picked).Mean();
    }
}
