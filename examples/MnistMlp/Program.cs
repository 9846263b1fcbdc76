// Trains a 784-128-10 ReLU MLP on MNIST with Adam. The whole training step (forward, backward, update) is one
// GraphDL graph, compiled by the default CPU backend (fused generated kernels and the packed GEMM).
//
//   dotnet run -c Release --project examples/MnistMlp [-- --epochs 5 --batch 64 --lr 0.001]
using System.Diagnostics;
using System.Globalization;
using GraphDL;
using GraphDL.IR;
using GraphDL.Runtime.Data;

int epochs = Option("--epochs", 5);
int batchSize = Option("--batch", 64);
double learningRate = Option("--lr", 1e-3);

Init.ManualSeed(0);
var mnist = Mnist.Load(normalize: true, progress: new Progress<string>(Console.WriteLine));
var model = new Sequential(new Linear(Mnist.Pixels, 128), new ReLU(), new Linear(128, Mnist.Classes));
Console.WriteLine($"model: 784-128-10 MLP, {model.ParameterCount()} parameters; batch {batchSize}, Adam lr {learningRate}");

var train = new DataLoader(mnist.Train.Images, mnist.Train.Labels, batchSize, shuffle: true, seed: 0, dropLast: true);
var (sampleX, sampleY) = train.Epoch(0).First();
using var step = Compiler.TrainStep(model, (m, x, y) => F.CrossEntropy(m.Forward(x), y), new Adam(learningRate), sampleX, sampleY);
Console.WriteLine($"training step: {step.Graph.Nodes.Count} nodes");

const int EvalBatch = 500;
using var predict = Compiler.Inference(model, new DataLoader(mnist.Test.Images, mnist.Test.Labels, EvalBatch, shuffle: false).Epoch(0).First().X);

var clock = Stopwatch.StartNew();
double accuracy = 0;
for (int epoch = 1; epoch <= epochs; epoch++)
{
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
    accuracy = Accuracy(predict, mnist.Test);
    Console.WriteLine(Invariant($"epoch {epoch}: train loss {sum / batches:F4}, test accuracy {accuracy:P2}, {epochClock.Elapsed.TotalSeconds:F1} s"));
}
Console.WriteLine(Invariant($"test accuracy: {accuracy * 100:F2}%"));
Console.WriteLine(Invariant($"train time: {clock.Elapsed.TotalSeconds:F1} s"));

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
