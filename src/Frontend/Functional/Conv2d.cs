using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// 2-D convolution (<c>torch.nn.functional.conv2d</c>, a cross-correlation) of an NCHW input with an OIHW weight,
    /// without bias: <c>out[n,o,y,x] = Σ_{c,i,j} xp[n, g·I + c, y·s + i·d, x·s + j·d]·w[o,c,i,j]</c>, xp the input
    /// zero-padded by <paramref name="padding"/> on every side. PyTorch defaults: stride 1, padding 0, dilation 1,
    /// groups 1.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        return Conv2dCore(input, weight, null, [stride, stride], [padding, padding, padding, padding], [dilation, dilation], groups);
    }

    /// <summary>
    /// <see cref="Conv2d(Tensor, Tensor, int, int, int, int, string, int)"/> plus <paramref name="bias"/> (shape [O], or
    /// null for none) broadcast over [1, O, 1, 1]: <c>out[n,o,y,x] = b[o] + Σ ...</c>.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        return Conv2dCore(input, weight, bias, [stride, stride], [padding, padding, padding, padding], [dilation, dilation], groups);
    }

    /// <summary>
    /// Convolution with per-axis settings: <paramref name="stride"/> [sh, sw]; <paramref name="padding"/> [ph, pw]
    /// (symmetric per axis, as PyTorch's tuple form) or [top, bottom, left, right] (asymmetric), default none;
    /// <paramref name="dilation"/> [dh, dw], default [1, 1]. <paramref name="bias"/> [O] or null.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[]? padding = null, int[]? dilation = null, int groups = 1,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        if (stride.Length != 2)
        {
            throw new ArgumentException($"conv2d: stride must be [sh, sw], got [{string.Join(",", stride)}]", nameof(stride));
        }
        int[] pads = padding switch
        {
            null => [0, 0, 0, 0],
            [var h, var w] => [h, h, w, w],
            [_, _, _, _] => padding,
            _ => throw new ArgumentException($"conv2d: padding must be [ph, pw] or [top, bottom, left, right], got [{string.Join(",", padding)}]", nameof(padding)),
        };
        var dilations = dilation ?? [1, 1];
        if (dilations.Length != 2)
        {
            throw new ArgumentException($"conv2d: dilation must be [dh, dw], got [{string.Join(",", dilations)}]", nameof(dilation));
        }
        return Conv2dCore(input, weight, bias, stride, pads, dilations, groups);
    }

    private static Tensor Conv2dCore(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, int groups)
    {
        var dtype = Promotion.Promote(input.DType, weight.DType);
        var output = Tensor.Emit(Prim.Conv2d, [input.CastTo(dtype), weight.CastTo(dtype)], AttributeMap.Of(
            ("stride", new IntListAttr(stride)),
            ("padding", new IntListAttr(padding)),
            ("dilation", new IntListAttr(dilation)),
            ("groups", new IntAttr(groups))));
        if (bias is null)
        {
            return output;
        }
        int channels = output.Shape[1];
        if (bias.Rank != 1 || bias.Shape[0] != channels)
        {
            throw input.Error("conv2d", $"the bias must have shape [{channels}] (one value per output channel), got {bias.Type}", weight, bias);
        }
        return output + bias.Reshape(1, channels, 1, 1);
    }
}
