using GraphDL.Examples.CharRnn;
using GraphDL.Training;

namespace GraphDL.Tests.Examples;

/// <summary>examples/CharRnn on a tiny synthetic text: its pieces checked by hand, and a short run of each cell end to end.</summary>
public sealed class CharRnnExampleTests
{
    /// <summary>A text a recurrent model can learn and a unigram cannot: "abcd" repeated, with a space after every fourth word.</summary>
    private static string SyntheticText() =>
        string.Concat(Enumerable.Range(0, 400).Select(i => i % 4 == 3 ? "abcd " : "abcd"));

    [Fact]
    public void ChunksReadContiguousStreamsSideBySide()
    {
        var vocabulary = new CharVocabulary("hello world");
        Assert.Equal(" dehlorw", new string([.. vocabulary.Chars]));
        Assert.Equal("hold", vocabulary.Decode(vocabulary.Encode("hold")));
        Assert.Throws<ArgumentException>(() => vocabulary.Encode("x"));

        // 2 streams of 10 tokens (0..9, 10..19), chunks of 3: chunk k reads positions 3k..3k+2 of each, targets one later.
        var batches = new StreamBatches([.. Enumerable.Range(0, 21).Select(i => (long)i)], batch: 2, length: 3);
        Assert.Equal(3, batches.ChunkCount);
        var (x, y) = batches.Chunk(1);
        Assert.Equal([3L, 4, 5, 13, 14, 15], x.ToArray<long>());
        Assert.Equal([4L, 5, 6, 14, 15, 16], y.ToArray<long>());
        Assert.Throws<ArgumentOutOfRangeException>(() => batches.Chunk(3));
        Assert.Throws<ArgumentException>(() => new StreamBatches([1, 2, 3], batch: 2, length: 3));
    }

    [Fact]
    public void TemperatureSharpensOrFlattensTheDistribution()
    {
        float[] logits = [2, 1, 0];
        var cold = Sampling.Softmax(logits, 0.5);
        var warm = Sampling.Softmax(logits, 2);
        Assert.Equal(1.0, cold.Sum(), 1e-12);
        Assert.Equal(Math.Exp(4) / (Math.Exp(4) + Math.Exp(2) + 1), cold[0], 1e-12);
        Assert.True(cold[0] > Sampling.Softmax(logits)[0] && warm[0] < Sampling.Softmax(logits)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sampling.Softmax(logits, 0));

        var random = new Random(3);
        var counts = new int[3];
        for (int i = 0; i < 20000; i++)
        {
            counts[Sampling.Draw([0.25, 0, 0.75], random)]++;
        }
        Assert.Equal(0, counts[1]);
        Assert.InRange(counts[2] / (double)counts[0], 2.8, 3.2);
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void AShortRunLearnsTheTextAndSamplesFromItsVocabulary(string cell)
    {
        var output = new StringWriter();
        var options = new CharRnnOptions(Cell: cell, Embedding: 8, Hidden: 24, Batch: 4, Length: 8, Rounds: 2, StepsPerRound: 30,
            LearningRate: 2e-2, Prompt: "ab", SampleLength: 20);
        var result = CharRnnRun.Run(SyntheticText(), options, output, curves: null);
        Assert.Equal(5, result.Vocabulary);
        Assert.Equal(60, result.Steps);
        Assert.True(double.IsFinite(result.TrainLoss) && double.IsFinite(result.ValLoss), output.ToString());
        // Uniform over 5 characters is ln 5 = 1.61; the text is nearly deterministic once the model has learnt the cycle.
        Assert.True(result.ValLoss < 0.6 && result.ValLoss < result.InitialValLoss - 0.8, $"{cell}: val {result.ValLoss} from {result.InitialValLoss}\n{output}");
        Assert.StartsWith("ab", result.Sample);
        Assert.Equal(22, result.Sample.Length);
        Assert.All(result.Sample, c => Assert.Contains(c, "abcd "));
        Assert.Contains("epoch 2/2  loss ", output.ToString());
    }

    [Fact]
    public void AnUnknownCellIsRefused() =>
        Assert.Throws<ArgumentException>(() => new CharModel("transformer", vocabulary: 5, embedding: 4, hidden: 4));
}
