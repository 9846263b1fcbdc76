using GraphDL.Training;

namespace GraphDL.Tests.TrainingDisplay;

/// <summary>The progress display's redirected form: one plain line per epoch, on a clock the test drives.</summary>
public sealed class TrainingProgressTests
{
    [Fact]
    public void RedirectedOutputGetsOneLinePerEpochWithLossRateTimeAndEta()
    {
        var output = new StringWriter();
        var now = TimeSpan.Zero;
        using (var progress = new TrainingProgress(epochs: 2, batchesPerEpoch: 4, samplesPerBatch: 50, output, live: false, () => now))
        {
            Assert.False(progress.IsLive);
            foreach (var loss in new[] { 2.0, 1.0, 1.5, 0.5 })
            {
                now += TimeSpan.FromSeconds(0.5);
                progress.Batch(loss);
            }
            Assert.Equal("", output.ToString()); // nothing per batch when redirected
            Assert.Equal(1.25, progress.EpochLoss);
            progress.EndEpoch(("test accuracy", "81.25%"));
            for (int i = 0; i < 3; i++)
            {
                now += TimeSpan.FromSeconds(0.25);
                progress.Batch(0.25, samples: 20);
            }
            progress.WriteLine("a note");
            progress.EndEpoch();
            Assert.Equal(3, progress.Epoch);
        }
        // Epoch 1: 200 samples in 2 s; 4 of 8 batches done in 2 s, so 4 more take 2 s. Epoch 2: 60 samples in 0.75 s.
        Assert.Equal(
            "epoch 1/2  loss 1.2500  test accuracy 81.25%  100 samples/s  2.0 s  ETA 2.0 s\n"
            + "a note\n"
            + "epoch 2/2  loss 0.2500  80 samples/s  0.8 s\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void StartWritesPlainLinesToAGivenWriter()
    {
        var output = new StringWriter();
        using var progress = TrainingProgress.Start(1, 1, 1, output);
        Assert.False(progress.IsLive);
        progress.Batch(3);
        progress.EndEpoch();
        Assert.StartsWith("epoch 1/1  loss 3.0000  ", output.ToString());
    }

    [Fact]
    public void SizesMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingProgress.Start(0, 1, 1, new StringWriter()));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingProgress.Start(1, 0, 1, new StringWriter()));
    }
}
