using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Mean absolute error (<c>torch.nn.functional.l1_loss</c>): |x − y| per element (x and y broadcast), reduced by
    /// <paramref name="reduction"/>: "mean" (the default), "sum" or "none". The derivative at x = y is 0.
    /// </summary>
    public static Tensor L1Loss(Tensor input, Tensor target, string reduction = "mean", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckReduction(reduction);
        return ApplyReduction((input - target).Abs(), reduction);
    }
}
