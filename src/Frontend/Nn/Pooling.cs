using GraphDL.IR;

namespace GraphDL;

/// <summary>Max pooling over the spatial axes of NCHW input (<c>torch.nn.MaxPool2d</c>); stride defaults to the kernel size, padding is −∞.</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    public int KernelSize { get; } = kernelSize;

    public int Stride { get; } = stride ?? kernelSize;

    public int Padding { get; } = padding;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.MaxPool2d(x, KernelSize, Stride, Padding);
    }
}

/// <summary>
/// Average pooling over the spatial axes of NCHW input (<c>torch.nn.AvgPool2d</c>): the window sum divided by k²
/// (<paramref name="countIncludePad"/>, PyTorch's default) or by the number of window positions inside the input.
/// Stride defaults to the kernel size; padding is zeros.
/// </summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true) : Module
{
    public int KernelSize { get; } = kernelSize;

    public int Stride { get; } = stride ?? kernelSize;

    public int Padding { get; } = padding;

    public bool CountIncludePad { get; } = countIncludePad;

    // F.AvgPool2d is being written on another branch; until it lands this module sums windows with reduce_window itself.
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        if (x.Rank != 4)
        {
            throw x.Error("reduce_window", $"avg_pool2d takes an NCHW tensor, got {x.Type}");
        }
        var sums = WindowSum(x.DType.IsFloat() ? x : x.To(DType.F32));
        if (CountIncludePad || Padding == 0)
        {
            return sums / (double)(KernelSize * KernelSize);
        }
        // Positions of each window that lie inside the input, computed once on the host.
        int h = x.Shape[2], w = x.Shape[3];
        int oh = sums.Shape[2], ow = sums.Shape[3];
        var counts = new double[oh * ow];
        for (int i = 0; i < oh; i++)
        {
            for (int j = 0; j < ow; j++)
            {
                int rows = Inside(i, h), cols = Inside(j, w);
                counts[i * ow + j] = rows * cols;
            }
        }
        return sums / F.Constant(HostTensor.FromDoubles(sums.DType, new Shape(oh, ow), counts));
    }

    private int Inside(int o, int size)
    {
        int start = o * Stride - Padding;
        return Math.Min(start + KernelSize, size) - Math.Max(start, 0);
    }

    private Tensor WindowSum(Tensor x)
    {
        return x.Emit(Prim.ReduceWindow, AttributeMap.Of(
            ("mode", new StringAttr("sum")),
            ("window", new IntListAttr([1, 1, KernelSize, KernelSize])),
            ("stride", new IntListAttr([1, 1, Stride, Stride])),
            ("padding", new IntListAttr([0, 0, 0, 0, Padding, Padding, Padding, Padding]))));
    }
}
