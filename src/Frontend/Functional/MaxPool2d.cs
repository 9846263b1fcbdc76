using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Max pooling (<c>torch.nn.functional.max_pool2d</c>) over the two spatial axes of an NCHW tensor: the maximum of
    /// each kernel × kernel window; <paramref name="stride"/> defaults to the kernel size, <paramref name="padding"/>
    /// (implicit −∞ on every side) to 0, as in PyTorch. NaN propagates.
    /// </summary>
    public static Tensor MaxPool2d(Tensor input, int kernel, int? stride = null, int padding = 0,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        CheckPoolInput("max_pool2d", input);
        return Pool(input, "max", kernel, stride ?? kernel, padding);
    }

    /// <summary>A reduce_window over the two spatial axes of an NCHW tensor (padding holds the reduction's identity).</summary>
    private static Tensor Pool(Tensor input, string mode, int kernel, int stride, int padding) =>
        input.Emit(Prim.ReduceWindow, AttributeMap.Of(
            ("mode", new StringAttr(mode)),
            ("window", new IntListAttr([1, 1, kernel, kernel])),
            ("stride", new IntListAttr([1, 1, stride, stride])),
            ("padding", new IntListAttr([0, 0, 0, 0, padding, padding, padding, padding]))));

    private static void CheckPoolInput(string op, Tensor input)
    {
        if (input.Rank != 4)
        {
            throw input.Error("reduce_window", $"{op} takes an NCHW tensor, got {input.Type}");
        }
    }
}
