using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Instance normalization (<c>torch.nn.functional.instance_norm</c> without running statistics) of x [N, C, *]:
    /// each sample's channel is normalized over its spatial positions, y = (x − E[x]) / √(Var[x] + ε) with the biased
    /// variance, then scaled by <paramref name="weight"/> and shifted by <paramref name="bias"/> [C] when given. It is
    /// <see cref="GroupNorm"/> with one group per channel.
    /// </summary>
    public static Tensor InstanceNorm(Tensor x, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        CheckInstanceNormInput(x, useInputStats: true);
        return GroupNorm(x, x.Shape[1], weight, bias, eps);
    }

    /// <summary>
    /// Instance normalization with running statistics [C] (<c>torch.nn.functional.instance_norm</c> given
    /// running_mean and running_var). With <paramref name="useInputStats"/> (training, or a module that does not track
    /// statistics) it normalizes with each instance's statistics, and returns the running statistics updated as
    /// PyTorch does: batch norm of x viewed as [1, N·C, *] with the running statistics repeated N times (so each
    /// instance's mean and unbiased variance enter with <paramref name="momentum"/>), then averaged over the N copies.
    /// Otherwise it normalizes with the running statistics (as batch norm in evaluation) and returns them unchanged.
    /// The running statistics never carry gradients.
    /// </summary>
    public static (Tensor Output, Tensor RunningMean, Tensor RunningVar) InstanceNorm(Tensor x, Tensor runningMean, Tensor runningVar,
        Tensor? weight, Tensor? bias, bool useInputStats, double momentum = 0.1, double eps = 1e-5,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        CheckInstanceNormInput(x, useInputStats);
        if (!useInputStats)
        {
            return (BatchNorm(x, runningMean, runningVar, weight, bias, training: false, eps: eps).Output, runningMean, runningVar);
        }
        int n = x.Shape[0], channels = x.Shape[1];
        foreach (var (t, what) in new[] { (runningMean, "running mean"), (runningVar, "running variance") })
        {
            if (t.Rank != 1 || t.Shape[0] != channels)
            {
                throw x.Error("instance_norm", $"the {what} must be [{channels}] (one value per channel), got {t.Type}", t);
            }
        }
        Tensor Repeat(Tensor t) => t.Reshape(1, channels).Expand(n, channels).Reshape(n * channels);
        var instances = x.Reshape([1, n * channels, .. x.Shape.Skip(2)]);
        var (normalized, mean, variance) = BatchNorm(instances, Repeat(runningMean), Repeat(runningVar), training: true, momentum: momentum, eps: eps);
        var y = PerChannelAffine("instance_norm", normalized.Reshape(x.Shape.ToArray()), weight, bias);
        return (y, mean.Reshape(n, channels).Mean(0), variance.Reshape(n, channels).Mean(0));
    }

    private static void CheckInstanceNormInput(Tensor x, bool useInputStats)
    {
        if (x.Rank < 3)
        {
            throw x.Error("instance_norm", $"expects an input [N, C, *] with at least one spatial axis, got {x.Type}");
        }
        if (useInputStats && x.Shape.Skip(2).Aggregate(1L, (a, b) => a * b) <= 1)
        {
            throw x.Error("instance_norm", $"expected more than 1 spatial element per channel, got input {x.Type}");
        }
    }
}
