namespace GraphDL.Examples.CharRnn;

/// <summary>Drawing the next character on the host: softmax(logits / temperature), then one multinomial draw.</summary>
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

    /// <summary>An index i drawn with probability p[i] (p sums to 1): inverse CDF of one uniform draw.</summary>
    public static int Draw(ReadOnlySpan<double> p, Random random)
    {
        double u = random.NextDouble();
        for (int i = 0; i < p.Length; i++)
        {
            u -= p[i];
            if (u < 0)
            {
                return i;
            }
        }
        // Rounding can leave u ≥ 0 after the last weight: the draw belongs to the last index that can occur.
        for (int i = p.Length - 1; i >= 0; i--)
        {
            if (p[i] > 0)
            {
                return i;
            }
        }
        throw new ArgumentException("all probabilities are zero", nameof(p));
    }
}
