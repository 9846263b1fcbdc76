using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// 2-D convolution over NCHW input (<c>torch.nn.Conv2d</c>): y = conv(x, W) + b with W: [out, in/groups, kh, kw] and
/// b: [out]. Initialized as PyTorch does: W ~ Kaiming-uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), and
/// b ~ U(−1/√fan_in, 1/√fan_in), fan_in = in/groups·kh·kw. Zero padding only; stride, padding and dilation are the
/// same on both spatial axes.
/// </summary>
public sealed class Conv2d : Module
{
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, DType dtype = DType.F32)
        : this(inChannels, outChannels, (kernelSize, kernelSize), stride, padding, dilation, groups, bias, dtype)
    {
    }

    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        int groups = 1, bool bias = true, DType dtype = DType.F32)
    {
        CheckGroups(inChannels, outChannels, groups);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        var weightType = new TensorType(dtype, outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width);
        var (weight, initialBias) = Init.LayerDefault(weightType, outChannels, bias);
        Weight = AddParameter("weight", weight);
        Bias = initialBias is null ? null : AddParameter("bias", initialBias);
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public (int Height, int Width) KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public int Dilation { get; }

    public int Groups { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Conv2d(x, Weight, Bias, Stride, Padding, Dilation, Groups);
    }

    /// <summary>Groups split both channel counts evenly (Conv1d, Conv2d and ConvTranspose2d).</summary>
    internal static void CheckGroups(int inChannels, int outChannels, int groups)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"in_channels ({inChannels}) and out_channels ({outChannels}) must be divisible by groups ({groups})", nameof(groups));
        }
    }
}
