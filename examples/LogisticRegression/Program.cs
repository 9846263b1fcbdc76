// Logistic regression on two 2-D Gaussians with a shared identity covariance. For such data the Bayes-optimal
// boundary is linear with normal Σ⁻¹(μ1 − μ0) = μ1 − μ0, so a well-trained model's weight vector points along
// μ1 − μ0. The example checks its loss's gradients against finite differences first, then trains with SGD.
using System.Diagnostics;
using GraphDL;
using GraphDL.IR;
using GraphDL.Runtime;
using GraphDL.Runtime.Data;

double[] mu0 = [-1.0, -0.5], mu1 = [1.4, 2.7];           // |μ1 − μ0| = 4: the Bayes accuracy is Φ(2) ≈ 97.7%
const int TrainPerClass = 500, TestPerClass = 500;

// 1. Gradient check of the loss in float64, on a few samples (as torch.autograd.gradcheck).
var (checkX, checkY) = Blobs(4, seed: 1, DType.F64);
var random = new Random(2);
HostTensor Uniform(params int[] shape) => HostTensor.FromDoubles(DType.F64, new Shape(shape),
    Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => random.NextDouble() - 0.5).ToArray());
var check = GradCheck.Check(t => Loss(t[0], t[1], t[2], t[3]), [checkX, checkY, Uniform(1, 2), Uniform(1)], order: 2);
Console.WriteLine(check.Passed ? $"gradcheck: passed ({check.Comparisons} comparisons, orders 1 and 2)" : "gradcheck: FAILED");
if (!check.Passed)
{
    Console.WriteLine(check);
    return 1;
}

// 2. Training: minibatch SGD with momentum on a compiled train step (forward, backward and update in one graph).
var (trainX, trainY) = Blobs(TrainPerClass, seed: 10, DType.F32);
var (testX, testY) = Blobs(TestPerClass, seed: 20, DType.F32);
Init.ManualSeed(0);
var model = new Linear(2, 1);
var loader = new DataLoader(trainX, trainY, batchSize: 50, shuffle: true, seed: 0, dropLast: true);
var first = loader.Epoch(0).First();
var optimizer = new Sgd(learningRate: 0.1, momentum: 0.9);
using var step = Compiler.TrainStep(model, (m, x, y) => Loss(x, y, m.Weight, m.Bias!), optimizer, first.X, first.Y);

const int Epochs = 30;
var clock = Stopwatch.StartNew();
for (int epoch = 0; epoch < Epochs; epoch++)
{
    double total = 0;
    foreach (var (x, y) in loader.Epoch(epoch))
    {
        total += step.Run(x, y);
    }
    if (epoch % 5 == 4 || epoch == 0)
    {
        Console.WriteLine($"epoch {epoch + 1,2}: loss {total / loader.BatchCount:F4}");
    }
}
double seconds = clock.Elapsed.TotalSeconds;

// 3. Evaluation: accuracy, and the angle between the learned normal and μ1 − μ0.
using var predict = Compiler.Inference(model, trainX);
double Accuracy(HostTensor x, HostTensor y)
{
    var logits = predict.Run(x).ToDoubleArray();
    var labels = y.ToDoubleArray();
    return 100.0 * logits.Zip(labels, (z, label) => (z > 0 ? 1.0 : 0.0) == label).Count(ok => ok) / labels.Length;
}
var w = model.StateDict()["weight"].ToDoubleArray();
double[] direction = [mu1[0] - mu0[0], mu1[1] - mu0[1]];
double cosine = (w[0] * direction[0] + w[1] * direction[1]) / (Math.Sqrt(w[0] * w[0] + w[1] * w[1]) * Math.Sqrt(direction[0] * direction[0] + direction[1] * direction[1]));
double angle = Math.Acos(Math.Clamp(cosine, -1, 1)) * 180 / Math.PI;

Console.WriteLine($"train accuracy: {Accuracy(trainX, trainY):F2}%");
Console.WriteLine($"test accuracy: {Accuracy(testX, testY):F2}%");
Console.WriteLine($"angle between w and mu1-mu0: {angle:F1} degrees");
Console.WriteLine($"train time: {seconds:F1} s");
return 0;

// Mean binary cross-entropy of the logits z = x·wᵀ + b against labels y ∈ {0, 1}, in the stable form
// max(z, 0) − z·y + log(1 + e^−|z|) (PyTorch's BCEWithLogitsLoss).
static Tensor Loss(Tensor x, Tensor y, Tensor w, Tensor b)
{
    var z = F.Linear(x, w, b);
    return (F.Relu(z) - z * y + (-z.Abs()).Exp().Log1p()).Mean();
}

// n samples of each class, shuffled together: x [2n, 2] from N(μ_label, I), y [2n, 1] the labels as floats.
(HostTensor X, HostTensor Y) Blobs(int perClass, int seed, DType dtype)
{
    var rng = new Random(seed);
    double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
    var rows = Enumerable.Range(0, 2 * perClass).Select(i => i % 2).OrderBy(_ => rng.Next()).ToArray();
    var x = new double[rows.Length * 2];
    var y = new double[rows.Length];
    for (int i = 0; i < rows.Length; i++)
    {
        var mu = rows[i] == 0 ? mu0 : mu1;
        x[2 * i] = mu[0] + Normal();
        x[2 * i + 1] = mu[1] + Normal();
        y[i] = rows[i];
    }
    return (HostTensor.FromDoubles(dtype, new Shape(rows.Length, 2), x), HostTensor.FromDoubles(dtype, new Shape(rows.Length, 1), y));
}
