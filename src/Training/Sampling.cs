namespace GraphDL.Training;

/// <summary>
/// Drawing from a model's output on the host, for the examples that generate: softmax(logits / temperature), then
/// one multinomial draw.
/// </summary>
public static class Sampling
{
    /// <summary>
    /// softmax(logits / <paramref name="temperature"/>) in f64, shifted by the largest logit so no exp overflows.
    /// A temperature below 1 sharpens the distribution toward the likeliest characters, above 1 flattens it.
    /// </summary>
    public static double[] Softmax(ReadOnlySpan<float> logits, double temperature = 1)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), $"temperature must be positive and finite, got {temperature}");
        }
        float max = float.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }
        var p = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = Math.Exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }
        return p;
    }

    /// <summary>An index i drawn with probability weights[i] / Σ weights (weights ≥ 0, not all zero): inverse CDF of one uniform draw.</summary>
    public static int Draw(ReadOnlySpan<double> weights, Random random)
    {
        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }
        double u = random.NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }
        // Rounding can leave u ≥ 0 after the last weight: the draw belongs to the last index that can occur.
        for (int i = weights.Length - 1; i >= 0; i--)
        {
            if (weights[i] > 0)
            {
                return i;
            }
        }
        throw new ArgumentException("all weights are zero", nameof(weights));
    }
}
