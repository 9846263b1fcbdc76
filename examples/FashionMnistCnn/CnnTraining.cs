using System.Diagnostics;
using GraphDL.IR;
using GraphDL.Runtime.Data;
using GraphDL.Training;

namespace GraphDL.Examples.FashionMnistCnn;

/// <summary>How the convnet is trained: the last epoch runs at <see cref="LastEpochFactor"/> times the learning rate (a step decay).</summary>
public sealed record CnnOptions(int Epochs = 3, int BatchSize = 100, double LearningRate = 3e-3, int Channels1 = 16, int Channels2 = 32,
    int EvalBatch = 500, double LastEpochFactor = 0.2);

/// <summary>What a run reached: the test accuracy after each epoch and the mean training loss of each.</summary>
public sealed record CnnResult(IReadOnlyList<double> TrainLoss, IReadOnlyList<double> TestAccuracy, int Parameters, double TrainSeconds)
{
    public double FinalAccuracy => TestAccuracy[^1];
}

/// <summary>
/// Trains <see cref="FashionCnn"/> with Adam on images [N, 784] and labels [N], evaluating on the test split after
/// every epoch (batch norm's running statistics, no dropout) and recording both on the curves given.
/// A last partial batch is left out (the step is compiled for one batch shape); with batch 100 none is.
/// </summary>
public static class CnnTraining
{
    public static CnnResult Train(MnistSplit train, MnistSplit test, CnnOptions options, TextWriter? output, Curves curves) =>
        Train(train.Images, train.Labels, test.Images, test.Labels, options, output, curves);

    public static CnnResult Train(HostTensor trainX, HostTensor trainY, HostTensor testX, HostTensor testY, CnnOptions options,
        TextWriter? output, Curves curves)
    {
        Init.ManualSeed(0);
        var model = new FashionCnn(options.Channels1, options.Channels2);
        var loader = new DataLoader(trainX, trainY, options.BatchSize, shuffle: true, seed: 0, dropLast: true);
        var (sampleX, sampleY) = loader.Epoch(0).First();
        var adam = new Adam(options.LearningRate);
        using var step = Compiler.TrainStep(model, (m, x, y) => F.CrossEntropy(m.Forward(x), y), adam,
            sampleX, sampleY, new CompileOptions { Seed = 1 });
        var evalBatch = Math.Min(options.EvalBatch, testX.Shape[0]);
        var testLoader = new DataLoader(testX, testY, evalBatch, shuffle: false, dropLast: true);
        using var predict = Compiler.Inference(model, testLoader.Epoch(0).First().X);

        var losses = new List<double>();
        var accuracies = new List<double>();
        var clock = Stopwatch.StartNew();
        using (var progress = TrainingProgress.Start(options.Epochs, loader.BatchCount, options.BatchSize, output))
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                // The learning rate is an input of the compiled step: changing it recompiles nothing.
                adam.LearningRate = epoch == options.Epochs && epoch > 1 ? options.LearningRate * options.LastEpochFactor : options.LearningRate;
                foreach (var (x, y) in loader.Epoch(epoch))
                {
                    progress.Batch(step.Run(x, y));
                }
                double loss = progress.EpochLoss;
                double accuracy = Accuracy(predict, testLoader);
                losses.Add(loss);
                accuracies.Add(accuracy);
                curves.Add("train loss", epoch, loss);
                curves.Add("test accuracy", epoch, accuracy, rightAxis: true);
                progress.EndEpoch(("test accuracy", $"{accuracy * 100:F2}%"));
            }
        }
        return new CnnResult(losses, accuracies, (int)model.ParameterCount(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>The fraction of the loader's samples whose largest logit is their label.</summary>
    public static double Accuracy(InferenceFunction predict, DataLoader loader)
    {
        int correct = 0, total = 0;
        foreach (var (x, y) in loader.Epoch(0))
        {
            var logits = predict.Run(x).AsSpan<float>();
            var labels = y.AsSpan<long>();
            int classes = logits.Length / labels.Length;
            for (int i = 0; i < labels.Length; i++)
            {
                var row = logits.Slice(i * classes, classes);
                int best = 0;
                for (int c = 1; c < classes; c++)
                {
                    if (row[c] > row[best])
                    {
                        best = c;
                    }
                }
                correct += best == labels[i] ? 1 : 0;
            }
            total += labels.Length;
        }
        return (double)correct / total;
    }
}
