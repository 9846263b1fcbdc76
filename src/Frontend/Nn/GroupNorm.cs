using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Group normalization of [N, C, *] input (<c>torch.nn.GroupNorm</c>, see <see cref="F.GroupNorm"/>): the C channels in
/// <c>numGroups</c> groups, each sample's group normalized over its channels and positions, then a per-channel
/// <c>weight</c> (ones) and <c>bias</c> (zeros) when affine. No running statistics: training and evaluation agree.
/// </summary>
public sealed class GroupNorm : Module
{
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true, DType dtype = DType.F32)
    {
        if (numGroups < 1 || numChannels % numGroups != 0)
        {
            throw new ArgumentException($"GroupNorm: num_channels ({numChannels}) must be divisible by num_groups ({numGroups})", nameof(numGroups));
        }
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        if (affine)
        {
            var type = new TensorType(dtype, numChannels);
            Weight = AddParameter("weight", HostTensor.Full(type, Scalar.FromDouble(dtype, 1)));
            Bias = AddParameter("bias", HostTensor.Zeros(type));
        }
    }

    public int NumGroups { get; }

    public int NumChannels { get; }

    public double Eps { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        if (x.Rank < 2 || x.Shape[1] != NumChannels)
        {
            throw x.Error("group_norm", $"GroupNorm({NumGroups}, {NumChannels}) expects input [N, {NumChannels}, ...], got {x.Type}");
        }
        return F.GroupNorm(x, NumGroups, Weight, Bias, Eps);
    }
}
