using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Hinge embedding loss (<c>torch.nn.functional.hinge_embedding_loss</c>): per element x where y = 1 and
    /// max(0, margin − x) where y = −1 (PyTorch's form: the first term where y ≠ −1, the second where y ≠ 1, so other
    /// labels get both); default <paramref name="margin"/> = 1. Reduced by <paramref name="reduction"/>: "mean" (the
    /// default), "sum" or "none".
    /// </summary>
    public static Tensor HingeEmbeddingLoss(Tensor input, Tensor target, double margin = 1.0, string reduction = "mean",
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        var hinge = Where(target.Ne(1.0), (-input + margin).Maximum(0.0), 0.0);
        var linear = Where(target.Ne(-1.0), input, 0.0);
        return ApplyReduction(hinge + linear, reduction);
    }
}
