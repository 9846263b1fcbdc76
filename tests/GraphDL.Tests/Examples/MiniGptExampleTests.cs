extern alias minigpt;

using GraphDL.IR;
using minigpt::GraphDL.Examples.CharRnn;
using minigpt::GraphDL.Examples.MiniGpt;

namespace GraphDL.Tests.Examples;

/// <summary>examples/MiniGpt on tiny data: windows, the causal padding generation relies on, and a short run with its checkpoint.</summary>
public sealed class MiniGptExampleTests
{
    [Fact]
    public void WindowsPairEachTokenWithTheNext()
    {
        long[] tokens = [.. Enumerable.Range(0, 50).Select(i => (long)i)];
        var (x, y) = MiniGptRun.Windows(tokens, batch: 3, block: 5, new Random(2));
        Assert.Equal(new Shape(3, 5), x.Shape);
        var xs = x.ToArray<long>();
        var ys = y.ToArray<long>();
        for (int b = 0; b < 3; b++)
        {
            for (int t = 0; t < 5; t++)
            {
                // Consecutive tokens are consecutive integers here, so a window is a run and its targets the run shifted by one.
                Assert.Equal(xs[b * 5] + t, xs[b * 5 + t]);
                Assert.Equal(xs[b * 5 + t] + 1, ys[b * 5 + t]);
            }
        }
    }

    [Fact]
    public void WhatFollowsAPositionDoesNotChangeItsLogits()
    {
        Init.ManualSeed(3);
        var model = new Gpt(new GptConfig(Vocabulary: 7, Block: 8, Embedding: 16, Heads: 2, Layers: 2, Dropout: 0.1));
        long[] padded = [1, 2, 3, 0, 0, 0, 0, 0], other = [1, 2, 3, 6, 5, 4, 6, 5];
        using var logits = Compiler.Inference(model, HostTensor.FromArray(padded, 1, 8));
        var a = logits.Run(HostTensor.FromArray(padded, 1, 8)).ToArray<float>();
        var b = logits.Run(HostTensor.FromArray(other, 1, 8)).ToArray<float>();
        // The first three positions see only themselves and what precedes them; the fourth sees the token that differs.
        for (int i = 0; i < 3 * 7; i++)
        {
            Assert.Equal(a[i], b[i], 1e-5f);
        }
        Assert.NotEqual(a[3 * 7], b[3 * 7]);
        Assert.Throws<ArgumentException>(() => new Gpt(new GptConfig(Vocabulary: 7, Embedding: 10, Heads: 4)));
    }

    [Fact]
    public void AShortRunLearnsTheTextSavesACheckpointAndGeneratesWithOneShape()
    {
        var text = string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 120));
        var path = Path.Combine(Path.GetTempPath(), $"graphdl-minigpt-{Guid.NewGuid():N}.safetensors");
        try
        {
            var output = new StringWriter();
            var options = new MiniGptOptions(Block: 16, Embedding: 32, Heads: 2, Layers: 1, Dropout: 0.0, Batch: 8, Steps: 120, Warmup: 10,
                LearningRate: 1e-2, EvalEvery: 60, EvalBatches: 2, Prompt: "the ", SampleLength: 40, CheckpointPath: path);
            var result = MiniGptRun.Run(text, options, output, curves: null);
            Assert.True(double.IsFinite(result.ValLoss), output.ToString());
            // ln 12 = 2.48 uniform; the text repeats with period 24, so a model that has learnt it is nearly certain.
            Assert.True(result.ValLoss < 0.5 && result.InitialValLoss > 2, $"val {result.ValLoss} from {result.InitialValLoss}\n{output}");
            Assert.Contains("epoch 2/2  loss ", output.ToString());
            Assert.True(result.TokensPerSecond > 0);

            Assert.True(result.CheckpointBytes > 0 && File.Exists(path));
            Assert.Equal(" .acehmnost", Checkpoint.ReadMetadata(path)["vocabulary"]);
            var vocabulary = new CharVocabulary(text);
            var fresh = new Gpt(new GptConfig(vocabulary.Size, 16, 32, 2, 1, 0.0));
            fresh.Load(path);
            // The loaded model generates from a prompt longer than the block without compiling a second shape.
            var log = new List<string>();
            var sample = MiniGptRun.Generate(fresh, vocabulary, "the cat sat on the mat. the ", 30, 0.5, new Random(4), new CompileOptions { Log = log.Add });
            Assert.Empty(log);
            Assert.Equal(28 + 30, sample.Length);
            Assert.All(sample, c => Assert.Contains(c, vocabulary.Chars));
            Assert.True(sample.Contains("cat", StringComparison.Ordinal) || sample.Contains("mat", StringComparison.Ordinal), sample);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
