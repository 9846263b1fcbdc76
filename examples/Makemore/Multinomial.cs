namespace GraphDL.Examples.Makemore;

/// <summary>Multinomial sampling on the host: one draw from a discrete distribution, and softmax to get one from logits.</summary>
public static class Multinomial
{
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

    /// <summary>softmax(logits) in f64, shifted by the largest logit so no exp overflows.</summary>
    public static double[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }
        var p = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = Math.Exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }
        return p;
    }
}
