using GraphDL.Examples.FashionMnistCnn;
using GraphDL.IR;
using GraphDL.Training;

namespace GraphDL.Tests.Examples;

/// <summary>examples/FashionMnistCnn on a few synthetic images: the convnet trains, evaluates and draws its curves.</summary>
public sealed class FashionMnistCnnExampleTests
{
    /// <summary>Images whose class is where a bright square sits (class k: a square at column 2k), easy for a convnet.</summary>
    private static (HostTensor X, HostTensor Y) Squares(int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[count * 784];
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(10);
            labels[i] = label;
            int row = random.Next(20);
            for (int r = row; r < row + 6; r++)
            {
                for (int c = 2 * label; c < 2 * label + 6 && c < 28; c++)
                {
                    pixels[i * 784 + r * 28 + c] = 1;
                }
            }
        }
        return (HostTensor.FromArray(pixels, count, 784), HostTensor.FromArray(labels, count));
    }

    [Fact]
    public void AFewStepsLearnAndTheCurvesRecordEachEpoch()
    {
        var (trainX, trainY) = Squares(400, 1);
        var (testX, testY) = Squares(100, 2);
        var output = new StringWriter();
        var curves = new Curves("test");
        var result = CnnTraining.Train(trainX, trainY, testX, testY,
            new CnnOptions(Epochs: 2, BatchSize: 50, LearningRate: 5e-3, Channels1: 4, Channels2: 8, EvalBatch: 50), output, curves);
        Assert.Equal(2, result.TestAccuracy.Count);
        Assert.True(result.TrainLoss[1] < result.TrainLoss[0], output.ToString());
        Assert.True(result.FinalAccuracy > 0.3, output.ToString());
        Assert.Equal(["train loss", "test accuracy"], curves.All.Select(s => s.Name));
        Assert.Matches(@"^epoch 1/2  loss \d\.\d{4}  test accuracy \d+\.\d\d%", output.ToString());
    }
}
