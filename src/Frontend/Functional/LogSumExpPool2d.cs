using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Log-sum-exp pooling over the two spatial axes of an NCHW tensor, a smooth maximum: per window
    /// log Σ exp(x) = m + log Σ exp(x − m) with m the window's own maximum, so it is exact and finite for inputs of any
    /// size (even when windows overlap and differ by 1e4). The kernel² strided views of the (−∞-padded) input are
    /// stacked on a new leading axis and reduced with <see cref="LogSumExp"/>. <paramref name="stride"/> defaults to
    /// the kernel size, <paramref name="padding"/> to 0; lse_pool(x) lies in [max_pool(x), max_pool(x) + 2·log kernel].
    /// </summary>
    public static Tensor LogSumExpPool2d(Tensor input, int kernel, int? stride = null, int padding = 0,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckPoolInput("logsumexp_pool2d", input);
        int s = stride ?? kernel;
        if (kernel < 1 || s < 1 || padding < 0)
        {
            throw new ArgumentException($"logsumexp_pool2d: kernel {kernel} and stride {s} must be ≥ 1, padding {padding} ≥ 0");
        }
        var x = input.DType.IsFloat() ? input : input.CastTo(DType.F32);
        if (padding > 0)
        {
            x = x.Pad([0, 0, padding, padding], [0, 0, padding, padding], double.NegativeInfinity);
        }
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        if (h < kernel || w < kernel)
        {
            throw input.Error("logsumexp_pool2d", $"a {kernel}×{kernel} window does not fit the input padded by {padding}");
        }
        int oh = (h - kernel) / s + 1, ow = (w - kernel) / s + 1;
        var views = new List<Tensor>(kernel * kernel);
        for (int i = 0; i < kernel; i++)
        {
            for (int j = 0; j < kernel; j++)
            {
                var view = x.Slice(2, i, i + (oh - 1) * s + 1, s).Slice(3, j, j + (ow - 1) * s + 1, s);
                views.Add(view.Reshape(1, n, c, oh, ow));
            }
        }
        var stacked = views.Count == 1 ? views[0] : Concat(views, 0);
        return LogSumExp(stacked, 0);
    }
}
