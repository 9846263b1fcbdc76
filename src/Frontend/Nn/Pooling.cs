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

/// <summary>
/// Adaptive average pooling of [N, C, H, W] or [C, H, W] input to a fixed output size (<c>torch.nn.AdaptiveAvgPool2d</c>,
/// see <see cref="F.AdaptiveAvgPool2d(Tensor, ValueTuple{int?, int?}, string, int)"/>): a null height or width keeps
/// the input's, as PyTorch's None.
/// </summary>
public sealed class AdaptiveAvgPool2d : Module
{
    public AdaptiveAvgPool2d(int outputSize)
        : this((outputSize, outputSize))
    {
    }

    public AdaptiveAvgPool2d((int? Height, int? Width) outputSize)
    {
        if (outputSize.Height < 1 || outputSize.Width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(outputSize), $"AdaptiveAvgPool2d: the output size must be positive, got {outputSize}");
        }
        OutputSize = outputSize;
    }

    public (int? Height, int? Width) OutputSize { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.AdaptiveAvgPool2d(x, OutputSize);
    }
}
