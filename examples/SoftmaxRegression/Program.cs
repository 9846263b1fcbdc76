// Softmax regression (multinomial logistic regression) on MNIST: one Linear(784, 10) layer trained with
// cross-entropy. The whole training step (forward, backward, update) is one GraphDL graph, compiled by the default
// CPU backend (fused generated kernels and the packed GEMM). A linear model tops out near 92.5% test accuracy, i.e.
// about 7.5% test error; the defaults get below 8% in three epochs of batch 200.
//
// The learning rate decays by --decay after each epoch; the optimizer reads it on every step, so the schedule needs
// no recompilation.
//
//   dotnet run -c Release --project examples/SoftmaxRegression [-- --epochs 3 --batch 200 --lr 0.003 --decay 0.5]
using System.Diagnostics;
using System.Globalization;
using GraphDL;
using GraphDL.IR;
using GraphDL.Runtime.Data;

int epochs = Option("--epochs", 3);
int batchSize = Option("--batch", 200);
double learningRate = Option("--lr", 3e-3);
double decay = Option("--decay", 0.5);

Init.ManualSeed(0);
var mnist = Mnist.Load(normalize: true, progress: new Progress<string>(Console.WriteLine));
var model = new Linear(Mnist.Pixels, Mnist.Classes);
Console.WriteLine(Invariant($"model: Linear(784, 10), {model.ParameterCount()} parameters; batch {batchSize}, Adam lr {learningRate} decaying by {decay} per epoch, {epochs} epochs"));

var train = new DataLoader(mnist.Train.Images, mnist.Train.Labels, batchSize, shuffle: true, seed: 0, dropLast: true);
var (sampleX, sampleY) = train.Epoch(0).First();
var optimizer = new Adam(learningRate);
using var step = Compiler.TrainStep(model, (m, x, y) => F.CrossEntropy(m.Forward(x), y), optimizer, sampleX, sampleY);
Console.WriteLine($"training step: {step.Graph.Nodes.Count} nodes");

const int EvalBatch = 1000;
using var predict = Compiler.Inference(model, new DataLoader(mnist.Test.Images, mnist.Test.Labels, EvalBatch, shuffle: false).Epoch(0).First().X);

var clock = Stopwatch.StartNew();
double error = 1;
for (int epoch = 1; epoch <= epochs; epoch++)
{
    optimizer.LearningRate = learningRate * Math.Pow(decay, epoch - 1);
    double sum = 0;
    int batches = 0;
    var epochClock = Stopwatch.StartNew();
    foreach (var (x, y) in train.Epoch(epoch))
    {
        sum += step.Run(x, y);
        if (++batches % 100 == 0)
        {
            double rate = batches * batchSize / epochClock.Elapsed.TotalSeconds;
            Console.WriteLine(Invariant($"epoch {epoch} [{batches * batchSize,5}/{train.SampleCount}] loss {sum / batches:F4} ({rate:F0} samples/s)"));
        }
    }
    error = 1 - Accuracy(predict, mnist.Test);
    Console.WriteLine(Invariant($"epoch {epoch}: train loss {sum / batches:F4}, test error {error * 100:F2}%, {epochClock.Elapsed.TotalSeconds:F1} s"));
}
double seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(Invariant($"test error: {error * 100:F2}%"));
Console.WriteLine(Invariant($"train time: {seconds:F1} s"));

// The fraction of a split whose highest logit is the label.
static double Accuracy(InferenceFunction predict, MnistSplit split)
{
    int correct = 0;
    foreach (var (x, y) in new DataLoader(split.Images, split.Labels, EvalBatch, shuffle: false).Epoch(0))
    {
        var logits = predict.Run(x).AsSpan<float>();
        var labels = y.AsSpan<long>();
        for (int i = 0; i < labels.Length; i++)
        {
            var row = logits.Slice(i * Mnist.Classes, Mnist.Classes);
            int best = 0;
            for (int c = 1; c < row.Length; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
    }
    return (double)correct / split.Count;
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

T Option<T>(string name, T fallback) where T : IParsable<T>
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? T.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
