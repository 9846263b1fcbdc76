using GraphDL.Examples.Makemore;
using GraphDL.IR;
using GraphDL.Training;

namespace GraphDL.Tests.Examples;

/// <summary>examples/Makemore on synthetic names: its pieces checked by hand, and a short run end to end.</summary>
public sealed class MakemoreExampleTests
{
    /// <summary>Names with structure an MLP can learn and a bigram cannot: the third letter repeats the first.</summary>
    private static List<string> SyntheticNames()
    {
        var random = new Random(7);
        var names = new List<string>();
        while (names.Count < 400)
        {
            char a = (char)('a' + random.Next(6)), b = (char)('a' + random.Next(6));
            var name = new string([a, b, a, .. Enumerable.Repeat(b, random.Next(1, 3))]);
            names.Add(name);
        }
        return names;
    }

    [Fact]
    public void ExamplesSlideAContextWindowOverEachName()
    {
        var vocabulary = new Vocabulary(["emma", "ab"]);
        Assert.Equal(".abem", new string([.. vocabulary.Chars]));
        var (x, y) = vocabulary.Examples(["emma"], block: 3);
        Assert.Equal(new Shape(5, 3), x.Shape);
        // "..." → e, "..e" → m, ".em" → m, "emm" → a, "mma" → '.'
        Assert.Equal([0L, 0, 0, 0, 0, 3, 0, 3, 4, 3, 4, 4, 4, 4, 1], x.ToArray<long>());
        Assert.Equal([3L, 4, 4, 1, 0], y.ToArray<long>());
    }

    [Fact]
    public void TheBigramModelCountsWithSmoothing()
    {
        var vocabulary = new Vocabulary(["ab"]);
        var model = new BigramModel(vocabulary, ["ab", "ab", "b"], smoothing: 1);
        // From '.': a twice, b once, '.' never: (2+1, 1+1, 0+1) / 6.
        Assert.Equal(3.0 / 6, model.Probability(0, 1), 1e-15);
        Assert.Equal(2.0 / 6, model.Probability(0, 2), 1e-15);
        Assert.Equal(1.0 / 6, model.Probability(0, 0), 1e-15);
        double expected = -(Math.Log(3.0 / 6) + Math.Log(model.Probability(1, 2)) + Math.Log(model.Probability(2, 0))) / 3;
        Assert.Equal(expected, model.Loss(["ab"]), 1e-12);
    }

    [Fact]
    public void MultinomialDrawsFollowTheWeights()
    {
        var random = new Random(1);
        var counts = new int[3];
        for (int i = 0; i < 30000; i++)
        {
            counts[Sampling.Draw([1, 0, 3], random)]++;
        }
        Assert.Equal(0, counts[1]);
        Assert.InRange(counts[2] / (double)counts[0], 2.8, 3.2);
        Assert.Equal([0.5, 0.5], Sampling.Softmax([1e30f, 1e30f]));
    }

    [Fact]
    public void AShortRunBeatsTheBigramAndSamplesNamesFromTheVocabulary()
    {
        var names = SyntheticNames();
        var output = new StringWriter();
        var result = MakemoreRun.Run(names, new MakemoreOptions(Hidden: 32, BatchSize: 32, Epochs: 4, Samples: 5), output, curves: null);
        Assert.Equal((320, 40, 40), (result.Train, result.Dev, result.Test));
        Assert.True(double.IsFinite(result.MlpDevLoss) && double.IsFinite(result.MlpTestLoss), output.ToString());
        Assert.True(result.MlpDevLoss < result.BigramDevLoss, $"mlp {result.MlpDevLoss} vs bigram {result.BigramDevLoss}\n{output}");
        Assert.Equal(5, result.MlpSamples.Count);
        Assert.All(result.MlpSamples.Concat(result.BigramSamples), s => Assert.All(s, c => Assert.InRange(c, 'a', 'f')));
        Assert.Contains("epoch 4/4  loss ", output.ToString());
    }
}
