using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// 1-D convolution over [N, C, L] (or unbatched [C, L]) input (<c>torch.nn.Conv1d</c>, see <see cref="F.Conv1d"/>):
/// y = conv(x, W) + b with W: [out, in/groups, k] and b: [out]. Initialized as PyTorch does, as <see cref="Conv2d"/>:
/// W ~ Kaiming-uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), and b ~ U(−1/√fan_in, 1/√fan_in),
/// fan_in = in/groups·k. Zero padding only.
/// </summary>
public sealed class Conv1d : Module
{
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, DType dtype = DType.F32)
    {
        Conv2d.CheckGroups(inChannels, outChannels, groups);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        var weightType = new TensorType(dtype, outChannels, inChannels / groups, kernelSize);
        var (weight, initialBias) = Init.LayerDefault(weightType, outChannels, bias);
        Weight = AddParameter("weight", weight);
        Bias = initialBias is null ? null : AddParameter("bias", initialBias);
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public int Dilation { get; }

    public int Groups { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Conv1d(x, Weight, Bias, Stride, Padding, Dilation, Groups);
    }
}
