using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Transposed 2-D convolution (<c>torch.nn.functional.conv_transpose2d</c>) of input [N, C, H, W] with weight
    /// [C, O/groups, kh, kw] and optional bias [O]: every input element scatters its weighted kernel into the output,
    /// <c>out[n, g·O/G + o, h·s − p + i·d, w·s − p + j·d] += x[n, g·C/G + c, h, w]·w[g·C/G + c, o, i, j]</c>, so
    /// OH = (H − 1)·s − 2p + d·(kh − 1) + output_padding + 1 (OW likewise). It is the gradient of
    /// <see cref="Conv2d(Tensor, Tensor, int, int, int, int, string, int)"/> with respect to its input, computed the
    /// same way conv2d's input gradient is: the input dilated by the stride, convolved (stride 1) with the spatially
    /// flipped weight whose in and out channels are swapped within each group, padded by d·(k − 1) − p before and
    /// d·(k − 1) − p + output_padding after (a negative pad crops the result). <paramref name="outputPadding"/> only
    /// adds rows and columns at the far edge and must be smaller than the stride or the dilation, as in PyTorch.
    /// PyTorch defaults: stride 1, padding 0, output_padding 0, groups 1, dilation 1.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0,
        int groups = 1, int dilation = 1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        if (input.Rank != 4 || weight.Rank != 4)
        {
            throw input.Error("conv_transpose2d", $"expects input [N, C, H, W] and weight [C, O/groups, kh, kw], got {input.Type} and {weight.Type}", weight);
        }
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        int kh = weight.Shape[2], kw = weight.Shape[3], opg = weight.Shape[1];
        if (groups < 1 || c % groups != 0 || weight.Shape[0] != c)
        {
            throw input.Error("conv_transpose2d", $"the weight {weight.Type} must be [C, O/groups, kh, kw] with C = {c} divisible by groups = {groups}", weight);
        }
        if (stride < 1 || dilation < 1 || padding < 0 || outputPadding < 0)
        {
            throw input.Error("conv_transpose2d", $"needs stride ≥ 1, dilation ≥ 1, padding ≥ 0 and output_padding ≥ 0, got {stride}, {dilation}, {padding} and {outputPadding}");
        }
        if (outputPadding >= stride && outputPadding >= dilation)
        {
            throw input.Error("conv_transpose2d", $"output_padding ({outputPadding}) must be smaller than either stride ({stride}) or dilation ({dilation})");
        }
        int outH = (h - 1) * stride - 2 * padding + dilation * (kh - 1) + outputPadding + 1;
        int outW = (w - 1) * stride - 2 * padding + dilation * (kw - 1) + outputPadding + 1;
        if (h < 1 || w < 1 || outH < 1 || outW < 1)
        {
            throw input.Error("conv_transpose2d", $"input {input.Type} with kernel {kh}x{kw}, stride {stride}, padding {padding} and dilation {dilation} gives an empty output ({outH}x{outW})");
        }
        var dtype = Promotion.Promote(input.DType, weight.DType);
        var x = input.CastTo(dtype);
        if (stride > 1)
        {
            // s − 1 zeros after every element of both spatial axes, the trailing ones sliced off.
            x = x.Reshape(n, c, h, 1, w, 1).Pad([0, 0, 0, 0, 0, 0], [0, 0, 0, stride - 1, 0, stride - 1]).Reshape(n, c, h * stride, w * stride)
                .Slice(2, 0, (h - 1) * stride + 1).Slice(3, 0, (w - 1) * stride + 1);
        }
        // [C, O/G, kh, kw] = [G, C/G, O/G, kh, kw] → [G, O/G, C/G, kh, kw] = [O, C/G, kh, kw], then reversed along the
        // flattened kernel (a flip of both spatial axes).
        int ipg = c / groups, outChannels = opg * groups;
        var swapped = weight.CastTo(dtype).Reshape(groups, ipg, opg, kh * kw).Permute(0, 2, 1, 3).Reshape(outChannels, ipg, kh * kw);
        var reversed = (kh * kw - 1) - Iota([outChannels, ipg, kh * kw], 2);
        var flipped = swapped.Gather(2, reversed).Reshape(outChannels, ipg, kh, kw);
        int top = dilation * (kh - 1) - padding, bottom = top + outputPadding, left = dilation * (kw - 1) - padding, right = left + outputPadding;
        var full = Conv2dCore(x, flipped, null, [1, 1], [Math.Max(top, 0), Math.Max(bottom, 0), Math.Max(left, 0), Math.Max(right, 0)], [dilation, dilation], groups);
        // A negative pad crops: at stride 1, dropping input rows at an edge drops as many output rows there.
        var y = full;
        if (top < 0 || bottom < 0)
        {
            y = y.Slice(2, Math.Max(-top, 0), Math.Max(-top, 0) + outH);
        }
        if (left < 0 || right < 0)
        {
            y = y.Slice(3, Math.Max(-left, 0), Math.Max(-left, 0) + outW);
        }
        if (bias is null)
        {
            return y;
        }
        if (bias.Rank != 1 || bias.Shape[0] != outChannels)
        {
            throw input.Error("conv_transpose2d", $"the bias must have shape [{outChannels}] (one value per output channel), got {bias.Type}", weight, bias);
        }
        return y + bias.Reshape(1, outChannels, 1, 1);
    }
}
