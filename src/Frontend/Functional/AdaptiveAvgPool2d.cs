using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Adaptive average pooling (<c>torch.nn.functional.adaptive_avg_pool2d</c>) of [N, C, H, W] or [C, H, W] to
    /// <paramref name="outputSize"/>×<paramref name="outputSize"/>: see
    /// <see cref="AdaptiveAvgPool2d(Tensor, ValueTuple{int?, int?}, string, int)"/>.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outputSize, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        return AdaptiveAvgPool2d(input, (outputSize, outputSize));
    }

    /// <summary>
    /// Adaptive average pooling to an OH×OW output (a null size keeps the input's, as PyTorch's None): output row i
    /// averages input rows ⌊i·H/OH⌋ to ⌈(i + 1)·H/OH⌉ − 1, PyTorch's start and end rule (windows may overlap or differ
    /// in length when OH does not divide H), and columns likewise. Rows are averaged first, then columns. A size that
    /// divides the input's is a reshape and a mean; others average one slice per output index. Integer input is cast to
    /// f32, as <see cref="AvgPool2d"/> does.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (int? Height, int? Width) outputSize, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        if (input.Rank is not (3 or 4))
        {
            throw input.Error("adaptive_avg_pool2d", $"expects input [N, C, H, W] or [C, H, W], got {input.Type}");
        }
        int h = input.Shape[^2], w = input.Shape[^1];
        int oh = outputSize.Height ?? h, ow = outputSize.Width ?? w;
        if (oh < 1 || ow < 1 || h < 1 || w < 1)
        {
            throw input.Error("adaptive_avg_pool2d", $"needs a non-empty input and output, got input {input.Type} and output size {oh}x{ow}");
        }
        var x = input.DType.IsFloat() ? input : input.CastTo(DType.F32);
        return AdaptiveMean(AdaptiveMean(x, x.Rank - 2, oh), x.Rank - 1, ow);
    }

    /// <summary>Averages <paramref name="x"/> along <paramref name="axis"/> into <paramref name="outputSize"/> windows (PyTorch's adaptive rule).</summary>
    private static Tensor AdaptiveMean(Tensor x, int axis, int outputSize)
    {
        int size = x.Shape[axis];
        if (outputSize == size)
        {
            return x;
        }
        if (size % outputSize == 0)
        {
            // Equal windows side by side: [.., size, ..] as [.., out, size/out, ..], the mean over the window axis.
            var dims = x.Shape.ToList();
            dims[axis] = size / outputSize;
            dims.Insert(axis, outputSize);
            return x.Reshape([.. dims]).Mean(axis + 1);
        }
        var windows = new Tensor[outputSize];
        for (int i = 0; i < outputSize; i++)
        {
            int start = (int)((long)i * size / outputSize), end = (int)(((long)(i + 1) * size + outputSize - 1) / outputSize);
            windows[i] = x.Slice(axis, start, end).Mean(axis, keepDims: true);
        }
        return Concat(windows, axis);
    }
}
