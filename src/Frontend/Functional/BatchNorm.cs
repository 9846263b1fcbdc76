using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Batch normalization of x: [N, C], [N, C, L] or [N, C, H, W] per channel (axis 1)
    /// (<c>torch.nn.functional.batch_norm</c>): y = (x − μ) / √(σ² + ε) · γ + β, with γ = <paramref name="weight"/>
    /// and β = <paramref name="bias"/> of shape [C] when given.
    /// <para>
    /// In training, μ and σ² are the batch mean and the biased batch variance over every axis but 1 (n values per
    /// channel), and the running statistics are returned updated with the unbiased variance, as PyTorch does:
    /// running_mean' = (1 − m)·running_mean + m·μ, running_var' = (1 − m)·running_var + m·σ²·n/(n − 1), with m =
    /// <paramref name="momentum"/>. The batch statistics in the update pass through
    /// <see cref="Autodiff.StopGradient"/>, so the running statistics never carry gradients. In evaluation
    /// (<paramref name="training"/> false), μ and σ² are the running statistics, returned unchanged.
    /// </para>
    /// </summary>
    /// <returns>The normalized tensor and the new running mean and variance (of the running statistics' type).</returns>
    public static (Tensor Output, Tensor RunningMean, Tensor RunningVar) BatchNorm(Tensor x, Tensor runningMean, Tensor runningVar,
        Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        if (x.Rank < 2)
        {
            throw x.Error("batch_norm", "expects an input [N, C, ...] with a channel axis 1");
        }
        int channels = x.Shape[1];
        foreach (var (t, what) in new[] { (runningMean, "running mean"), (runningVar, "running variance"), (weight, "weight"), (bias, "bias") })
        {
            if (t is not null && (t.Rank != 1 || t.Shape[0] != channels))
            {
                throw x.Error("batch_norm", $"the {what} must be [{channels}] (one value per channel), got {t.Type}", t);
            }
        }
        // Per-channel tensors [C] broadcast against x as [C, 1, ..., 1].
        var perChannel = new[] { channels }.Concat(Enumerable.Repeat(1, x.Rank - 2)).ToArray();
        Tensor Channel(Tensor t) => t.Reshape(perChannel);
        Tensor mean, variance, newMean = runningMean, newVar = runningVar;
        if (training)
        {
            var axes = Enumerable.Range(0, x.Rank).Where(a => a != 1).ToArray();
            long n = x.Shape.ElementCount / Math.Max(channels, 1);
            if (n <= 1)
            {
                throw x.Error("batch_norm", $"expected more than 1 value per channel when training, got input {x.Type}");
            }
            mean = x.Mean(axes, keepDims: true);
            var centered = x - mean;
            variance = (centered * centered).Mean(axes, keepDims: true);
            var batchMean = Autodiff.StopGradient(mean).Reshape(channels).To(runningMean.DType);
            var unbiased = (Autodiff.StopGradient(variance) * ((double)n / (n - 1))).Reshape(channels).To(runningVar.DType);
            newMean = runningMean * (1 - momentum) + batchMean * momentum;
            newVar = runningVar * (1 - momentum) + unbiased * momentum;
            var y = centered * (variance + eps).Rsqrt();
            return (Affine(y), newMean, newVar);
        }
        mean = Channel(runningMean);
        variance = Channel(runningVar);
        return (Affine((x - mean) * (variance + eps).Rsqrt()), newMean, newVar);

        Tensor Affine(Tensor y)
        {
            if (weight is not null)
            {
                y *= Channel(weight);
            }
            return bias is null ? y : y + Channel(bias);
        }
    }
}
