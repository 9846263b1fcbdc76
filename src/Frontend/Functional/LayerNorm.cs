using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Layer normalization over the last k dimensions, which must equal <paramref name="normalizedShape"/>
    /// (<c>torch.nn.functional.layer_norm</c>): y = (x − E[x]) / √(Var[x] + ε) · γ + β, with the mean and the biased
    /// variance Var[x] = E[(x − E[x])²] taken over those k dimensions. <paramref name="weight"/> γ and
    /// <paramref name="bias"/> β, when given, have the shape <paramref name="normalizedShape"/>.
    /// </summary>
    public static Tensor LayerNorm(Tensor x, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        int k = normalizedShape.Length;
        if (k == 0 || k > x.Rank || !x.Shape.Skip(x.Rank - k).SequenceEqual(normalizedShape))
        {
            throw x.Error("layer_norm", $"normalized shape [{string.Join(",", normalizedShape)}] must be the last dimensions of the input");
        }
        foreach (var (affine, what) in new[] { (weight, "weight"), (bias, "bias") })
        {
            if (affine is not null && !affine.Shape.SequenceEqual(normalizedShape))
            {
                throw x.Error("layer_norm", $"{what} {affine.Type} must have the normalized shape [{string.Join(",", normalizedShape)}]", affine);
            }
        }
        var axes = Enumerable.Range(x.Rank - k, k).ToArray();
        var centered = x - x.Mean(axes, keepDims: true);
        var variance = (centered * centered).Mean(axes, keepDims: true);
        var y = centered * (variance + eps).Rsqrt();
        if (weight is not null)
        {
            y *= weight;
        }
        return bias is null ? y : y + bias;
    }
}
