using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Instance normalization of [N, C, H, W] or unbatched [C, H, W] input (<c>torch.nn.InstanceNorm2d</c>, see
/// <see cref="F.InstanceNorm(Tensor, Tensor?, Tensor?, double, string, int)"/>): each sample's channel normalized over
/// its positions. Like PyTorch's defaults, no affine parameters and no running statistics. With <c>affine</c>, a
/// per-channel <c>weight</c> (ones) and <c>bias</c> (zeros); with <c>trackRunningStats</c>, the buffers
/// <c>running_mean</c> (zeros), <c>running_var</c> (ones) and <c>num_batches_tracked</c> (i64, 0), updated with
/// <c>momentum</c> in training and used in evaluation, as PyTorch does.
/// </summary>
public sealed class InstanceNorm2d : Module
{
    public InstanceNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool trackRunningStats = false,
        DType dtype = DType.F32)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        var type = new TensorType(dtype, numFeatures);
        if (affine)
        {
            Weight = AddParameter("weight", HostTensor.Full(type, Scalar.FromDouble(dtype, 1)));
            Bias = AddParameter("bias", HostTensor.Zeros(type));
        }
        if (trackRunningStats)
        {
            RunningMean = AddBuffer("running_mean", HostTensor.Zeros(type));
            RunningVar = AddBuffer("running_var", HostTensor.Full(type, Scalar.FromDouble(dtype, 1)));
            NumBatchesTracked = AddBuffer("num_batches_tracked", HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 0)));
        }
    }

    public int NumFeatures { get; }

    public double Eps { get; }

    public double Momentum { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public Tensor? RunningMean { get; }

    public Tensor? RunningVar { get; }

    public Tensor? NumBatchesTracked { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        if (x.Rank is not (3 or 4) || x.Shape[x.Rank - 3] != NumFeatures)
        {
            throw x.Error("instance_norm", $"InstanceNorm2d({NumFeatures}) expects input [N, {NumFeatures}, H, W] or [{NumFeatures}, H, W], got {x.Type}");
        }
        bool unbatched = x.Rank == 3;
        var input = unbatched ? x.Unsqueeze(0) : x;
        Tensor y;
        if (RunningMean is null || RunningVar is null || NumBatchesTracked is null)
        {
            y = F.InstanceNorm(input, Weight, Bias, Eps);
        }
        else
        {
            (y, var mean, var variance) = F.InstanceNorm(input, RunningMean, RunningVar, Weight, Bias, useInputStats: Training, Momentum, Eps);
            if (Training)
            {
                UpdateBuffer(RunningMean, mean);
                UpdateBuffer(RunningVar, variance);
                UpdateBuffer(NumBatchesTracked, NumBatchesTracked + 1L);
            }
        }
        return unbatched ? y.Squeeze(0) : y;
    }
}
