using GraphDL.IR;

namespace GraphDL.Tests.Nn;

/// <summary>
/// The new activation and loss modules inside a compiled training step (the CPU backend, not the interpreter): a
/// classifier with Mish and Hardswish trained by MultiMarginLoss with class weights (a graph constant), and a regressor
/// with CELU trained by HuberLoss. Each must learn its synthetic task, which a wrong gradient or a miscompiled kernel
/// would prevent.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class LossModuleTrainingTests
{
    private static (HostTensor X, HostTensor Y, double[] Features) Blobs(int n, int seed)
    {
        var random = new Random(seed);
        var features = new double[n * 4];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 3;
            for (int d = 0; d < 4; d++)
            {
                features[4 * i + d] = (d == labels[i] ? 2.0 : 0.0) + 0.3 * (random.NextDouble() - 0.5);
            }
        }
        return (HostTensor.FromDoubles(DType.F32, new Shape(n, 4), features), HostTensor.FromInt64s(DType.I64, new Shape(n), labels), features);
    }

    [Fact]
    public void MultiMarginLossTrainsAClassifierWithMishAndHardswish()
    {
        Init.ManualSeed(7);
        var model = new Sequential(new Linear(4, 16), new Mish(), new Linear(16, 16), new Hardswish(), new Linear(16, 3));
        var criterion = new MultiMarginLoss(weight: HostTensor.FromDoubles(DType.F32, new Shape(3), [1, 2, 1]));
        var (x, y, _) = Blobs(48, 1);
        using var step = Compiler.TrainStep(model, (m, a, b) => criterion.Forward(m.Forward(a), b), new Adam(0.02), x, y);
        float first = step.Run(x, y), last = first;
        for (int i = 0; i < 80; i++)
        {
            last = step.Run(x, y);
        }
        Assert.True(first > 0.3f && last < 0.1f * first, $"multi-margin loss {first} -> {last}");
    }

    [Fact]
    public void HuberLossTrainsARegressorWithCelu()
    {
        Init.ManualSeed(8);
        var model = new Sequential(new Linear(4, 16), new CELU(0.5), new Linear(16, 1));
        var (x, _, features) = Blobs(48, 2);
        var targets = Enumerable.Range(0, 48).Select(i => features[4 * i] - 2 * features[4 * i + 1] + 0.5).ToArray();
        var y = HostTensor.FromDoubles(DType.F32, new Shape(48, 1), targets);
        using var step = Compiler.TrainStep(model, (m, a, b) => new HuberLoss(delta: 0.5).Forward(m.Forward(a), b), new Adam(0.02), x, y);
        float first = step.Run(x, y), last = first;
        for (int i = 0; i < 120; i++)
        {
            last = step.Run(x, y);
        }
        Assert.True(last < 0.05f * first, $"huber loss {first} -> {last}");
    }

    [Fact]
    public void CrossEntropyLossTrainsAClassifierWithPReLUAndSelu()
    {
        Init.ManualSeed(9);
        var model = new Sequential(new Linear(4, 16), new PReLU(16), new Linear(16, 16), new SELU(), new Linear(16, 3));
        var criterion = new CrossEntropyLoss(labelSmoothing: 0.05);
        var (x, y, _) = Blobs(48, 3);
        using var step = Compiler.TrainStep(model, (m, a, b) => criterion.Forward(m.Forward(a), b), new Adam(0.02), x, y);
        float first = step.Run(x, y), last = first;
        for (int i = 0; i < 80; i++)
        {
            last = step.Run(x, y);
        }
        // Label smoothing 0.05 over 3 classes leaves a floor of about 0.12 nats even for a perfect classifier.
        Assert.True(first > 0.8f && last < 0.25f, $"cross-entropy loss {first} -> {last}");
    }

    [Fact]
    public void BceWithLogitsLossTrainsABinaryClassifierWithRRelu()
    {
        Init.ManualSeed(10);
        var model = new Sequential(new Linear(4, 16), new RReLU(), new Linear(16, 1));
        var (x, labels, _) = Blobs(48, 4);
        var y = HostTensor.FromDoubles(DType.F32, new Shape(48, 1), Enumerable.Range(0, 48).Select(i => labels.GetInt64(i) == 0 ? 1.0 : 0.0).ToArray());
        using var step = Compiler.TrainStep(model, (m, a, b) => new BCEWithLogitsLoss().Forward(m.Forward(a), b), new Adam(0.02), x, y);
        float first = step.Run(x, y), last = first;
        for (int i = 0; i < 80; i++)
        {
            last = step.Run(x, y);
        }
        Assert.True(last < 0.1f * first, $"binary cross-entropy {first} -> {last}");
    }

    [Fact]
    public void WeightedCrossEntropyLossIsTheWeightedMeanInACompiledStep()
    {
        // The criterion, with its class weights, is not part of the model.
        Init.ManualSeed(11);
        var model = new Linear(4, 3);
        var weight = HostTensor.FromDoubles(DType.F32, new Shape(3), [0.5, 2.0, 1.0]);
        var criterion = new CrossEntropyLoss(weight: weight, ignoreIndex: 2);
        var (x, y, features) = Blobs(12, 3);
        var state = model.StateDict();
        double numerator = 0, denominator = 0;
        for (int i = 0; i < 12; i++)
        {
            long target = y.GetInt64(i);
            if (target == 2)
            {
                continue;
            }
            var row = Enumerable.Range(0, 3).Select(k =>
                state["bias"].GetDouble(k) + Enumerable.Range(0, 4).Sum(d => state["weight"].GetDouble(k * 4 + d) * (float)features[4 * i + d])).ToArray();
            double max = row.Max(), lse = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            double w = weight.GetDouble(target);
            numerator += w * (lse - row[target]);
            denominator += w;
        }
        using var step = Compiler.TrainStep(model, (m, a, b) => criterion.Forward(m.Forward(a), b), new Sgd(0.0), x, y);
        Assert.Equal(numerator / denominator, step.Run(x, y), 5);
    }
}
