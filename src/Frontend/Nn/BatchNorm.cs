using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Batch normalization with learned per-channel scale and shift and running statistics (PyTorch's <c>_BatchNorm</c>):
/// parameters <c>weight</c> (ones) and <c>bias</c> (zeros) when affine, buffers <c>running_mean</c> (zeros),
/// <c>running_var</c> (ones) and <c>num_batches_tracked</c> (i64, 0). In training mode it normalizes with the batch
/// statistics and, when the graph runs, updates the running statistics with <c>momentum</c> (see
/// <see cref="F.BatchNorm"/>) and adds one to <c>num_batches_tracked</c>; in evaluation mode it uses the running
/// statistics. Unlike PyTorch, <c>momentum</c> cannot be null (no cumulative average) and running statistics are
/// always tracked.
/// </summary>
public abstract class BatchNormBase : Module
{
    private protected BatchNormBase(int numFeatures, double eps, double momentum, bool affine, DType dtype)
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
        RunningMean = AddBuffer("running_mean", HostTensor.Zeros(type));
        RunningVar = AddBuffer("running_var", HostTensor.Full(type, Scalar.FromDouble(dtype, 1)));
        NumBatchesTracked = AddBuffer("num_batches_tracked", HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 0)));
    }

    public int NumFeatures { get; }

    public double Eps { get; }

    public double Momentum { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

    public Tensor NumBatchesTracked { get; }

    /// <summary>Throws unless <paramref name="x"/> has a rank this kind of batch norm accepts.</summary>
    private protected abstract void CheckInput(Tensor x);

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        CheckInput(x);
        var (y, mean, variance) = F.BatchNorm(x, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
        if (Training)
        {
            UpdateBuffer(RunningMean, mean);
            UpdateBuffer(RunningVar, variance);
            UpdateBuffer(NumBatchesTracked, NumBatchesTracked + 1L);
        }
        return y;
    }
}

/// <summary>Batch normalization of [N, C] or [N, C, L] input over N (and L) (<c>torch.nn.BatchNorm1d</c>).</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true, DType dtype = DType.F32)
    : BatchNormBase(numFeatures, eps, momentum, affine, dtype)
{
    private protected override void CheckInput(Tensor x)
    {
        if (x.Rank is not (2 or 3))
        {
            throw x.Error("batch_norm", $"BatchNorm1d expects [N, C] or [N, C, L] input, got {x.Type}");
        }
    }
}

/// <summary>Batch normalization of [N, C, H, W] input over N, H and W (<c>torch.nn.BatchNorm2d</c>).</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true, DType dtype = DType.F32)
    : BatchNormBase(numFeatures, eps, momentum, affine, dtype)
{
    private protected override void CheckInput(Tensor x)
    {
        if (x.Rank != 4)
        {
            throw x.Error("batch_norm", $"BatchNorm2d expects [N, C, H, W] input, got {x.Type}");
        }
    }
}
