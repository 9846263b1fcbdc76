using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Transposed 2-D convolution over NCHW input (<c>torch.nn.ConvTranspose2d</c>, see <see cref="F.ConvTranspose2d"/>),
/// the gradient of a convolution with respect to its input, used to upsample: W: [in, out/groups, kh, kw] and b: [out].
/// Initialized as PyTorch does: W ~ Kaiming-uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), and
/// b ~ U(−1/√fan_in, 1/√fan_in), with fan_in computed from W's shape as PyTorch does, out/groups·kh·kw.
/// Stride, padding, output padding and dilation are the same on both spatial axes.
/// </summary>
public sealed class ConvTranspose2d : Module
{
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1,
        bool bias = true, int dilation = 1, DType dtype = DType.F32)
        : this(inChannels, outChannels, (kernelSize, kernelSize), stride, padding, outputPadding, groups, bias, dilation, dtype)
    {
    }

    public ConvTranspose2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, int stride = 1, int padding = 0, int outputPadding = 0,
        int groups = 1, bool bias = true, int dilation = 1, DType dtype = DType.F32)
    {
        Conv2d.CheckGroups(inChannels, outChannels, groups);
        if (outputPadding >= stride && outputPadding >= dilation)
        {
            throw new ArgumentException($"output_padding ({outputPadding}) must be smaller than either stride ({stride}) or dilation ({dilation})", nameof(outputPadding));
        }
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Groups = groups;
        Dilation = dilation;
        var weightType = new TensorType(dtype, inChannels, outChannels / groups, kernelSize.Height, kernelSize.Width);
        var (weight, initialBias) = Init.LayerDefault(weightType, outChannels, bias);
        Weight = AddParameter("weight", weight);
        Bias = initialBias is null ? null : AddParameter("bias", initialBias);
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public (int Height, int Width) KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    public int OutputPadding { get; }

    public int Groups { get; }

    public int Dilation { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);
    }
}
