using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Average pooling (<c>torch.nn.functional.avg_pool2d</c>) over the two spatial axes of an NCHW tensor: the window
    /// sum (a reduce_window sum, zero padding) divided by kernel² when <paramref name="countIncludePad"/> (the PyTorch
    /// default, true), else by the number of window positions inside the input. <paramref name="stride"/> defaults to
    /// the kernel size, <paramref name="padding"/> to 0. ceil_mode and divisor_override are not supported.
    /// </summary>
    public static Tensor AvgPool2d(Tensor input, int kernel, int? stride = null, int padding = 0, bool countIncludePad = true,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckPoolInput("avg_pool2d", input);
        var x = input.DType.IsFloat() ? input : input.CastTo(DType.F32);
        int s = stride ?? kernel;
        var sum = Pool(x, "sum", kernel, s, padding);
        if (countIncludePad || padding == 0)
        {
            return sum / (double)(kernel * kernel);
        }
        // The count of real (unpadded) positions per window, pooled from ones of one channel: a constant to autodiff.
        var ones = Ones([1, 1, x.Shape[2], x.Shape[3]], x.DType);
        return sum / Pool(ones, "sum", kernel, s, padding);
    }
}
