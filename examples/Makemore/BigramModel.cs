using GraphDL.Training;

namespace GraphDL.Examples.Makemore;

/// <summary>
/// The counting model: P(next | previous) = (count(previous, next) + smoothing) / Σ (count(previous, ·) + smoothing),
/// from the bigrams of the training names (with '.' at both ends). Its loss is the baseline the MLP must beat.
/// </summary>
public sealed class BigramModel
{
    private readonly double[,] _probabilities;

    public BigramModel(Vocabulary vocabulary, IEnumerable<string> names, double smoothing = 1)
    {
        Vocabulary = vocabulary;
        int v = vocabulary.Size;
        var counts = new double[v, v];
        foreach (var name in names)
        {
            int previous = 0;
            foreach (var c in name.Append(Vocabulary.Boundary))
            {
                int next = vocabulary[c];
                counts[previous, next]++;
                previous = next;
            }
        }
        _probabilities = new double[v, v];
        for (int i = 0; i < v; i++)
        {
            double row = 0;
            for (int j = 0; j < v; j++)
            {
                row += counts[i, j] + smoothing;
            }
            for (int j = 0; j < v; j++)
            {
                _probabilities[i, j] = (counts[i, j] + smoothing) / row;
            }
        }
    }

    public Vocabulary Vocabulary { get; }

    public double Probability(int previous, int next) => _probabilities[previous, next];

    /// <summary>Mean negative log-likelihood, in nats per character, of every bigram of <paramref name="names"/> (the end mark included).</summary>
    public double Loss(IEnumerable<string> names)
    {
        double sum = 0;
        long count = 0;
        foreach (var name in names)
        {
            int previous = 0;
            foreach (var c in name.Append(Vocabulary.Boundary))
            {
                int next = Vocabulary[c];
                sum -= Math.Log(_probabilities[previous, next]);
                count++;
                previous = next;
            }
        }
        return sum / count;
    }

    /// <summary>A name drawn character by character from the model, until it draws the end mark (or <paramref name="maxLength"/>).</summary>
    public string Sample(Random random, int maxLength = 30)
    {
        var name = new System.Text.StringBuilder();
        int previous = 0;
        var row = new double[Vocabulary.Size];
        while (name.Length < maxLength)
        {
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = _probabilities[previous, j];
            }
            int next = Sampling.Draw(row, random);
            if (next == 0)
            {
                break;
            }
            name.Append(Vocabulary.Chars[next]);
            previous = next;
        }
        return name.ToString();
    }
}
