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

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.AvgPool2d(x, KernelSize, Stride, Padding, CountIncludePad);
    }
}
