using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Mean squared error (<c>torch.nn.functional.mse_loss</c>): (x − y)² per element (x and y broadcast), reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none".
    /// </summary>
    public static Tensor MseLoss(Tensor input, Tensor target, string reduction = "mean", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        var difference = input - target;
        return ApplyReduction(difference * difference, reduction);
    }
}
