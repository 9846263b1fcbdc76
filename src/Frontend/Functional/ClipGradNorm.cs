using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Gradient clipping by total norm (<c>torch.nn.utils.clip_grad_norm_</c>), in the graph: the norm of all
    /// <paramref name="grads"/> together, total = (Σ_g Σ |g|^p)^(1/p) (p = <paramref name="normType"/>, default 2;
    /// ∞ gives max |g|), and each gradient scaled by min(1, maxNorm/(total + 1e-6)). Returns the clipped gradients (in
    /// their dtypes) and the total norm (before clipping, in the promoted float dtype of the gradients).
    /// </summary>
    public static (Tensor[] Clipped, Tensor TotalNorm) ClipGradNorm(IReadOnlyList<Tensor> grads, double maxNorm, double normType = 2.0,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (grads.Count == 0)
        {
            throw new ArgumentException("clip_grad_norm needs at least one gradient", nameof(grads));
        }
        if (!(normType > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), $"clip_grad_norm: the norm type must be positive or infinity, got {normType}");
        }
        using var _ = grads[0].At(file, line);
        var dtype = grads.Select(g => g.DType).Aggregate(Promotion.Promote);
        if (!dtype.IsFloat())
        {
            dtype = DType.F32;
        }
        Tensor? total = null;
        foreach (var g in grads)
        {
            var x = g.CastTo(dtype);
            Tensor part = double.IsPositiveInfinity(normType) ? x.Abs().Max()
                : normType == 2 ? (x * x).Sum()
                : normType == 1 ? x.Abs().Sum()
                : x.Abs().Pow(normType).Sum();
            total = total is null ? part : double.IsPositiveInfinity(normType) ? total.Maximum(part) : total + part;
        }
        var norm = double.IsPositiveInfinity(normType) || normType == 1 ? total!
            : normType == 2 ? total!.Sqrt()
            : total!.Pow(1 / normType);
        var scale = ((norm + 1e-6).Reciprocal() * maxNorm).Minimum(1.0);
        var clipped = grads.Select(g => g * scale.CastTo(g.DType)).ToArray();
        return (clipped, norm);
    }
}
