using GraphDL.IR;

namespace GraphDL.Tests.Training;

using Autodiff = GraphDL.Autodiff;

/// <summary>Compiler.TrainStep end to end: linear regression converges, parameters update in place, batch types are checked.</summary>
public class TrainStepTests
{
    private const int N = 32, D = 3;
    private static readonly double[] TrueWeight = [1.5, -2.0, 0.5];
    private const double TrueBias = 0.25;

    /// <summary>Synthetic data y = x·w* + b* with x from a seeded normal.</summary>
    private static (HostTensor X, HostTensor Y) Data(DType dtype, int n = N, int seed = 7)
    {
        var random = new Random(seed);
        var x = new double[n * D];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = TrueBias;
            for (int j = 0; j < D; j++)
            {
                x[i * D + j] = 2 * random.NextDouble() - 1;
                y[i] += x[i * D + j] * TrueWeight[j];
            }
        }
        return (HostTensor.FromDoubles(dtype, new Shape(n, D), x), HostTensor.FromDoubles(dtype, new Shape(n, 1), y));
    }

    private static Tensor MeanSquaredError(Linear model, Tensor x, Tensor y)
    {
        var error = model.Forward(x) - y;
        return (error * error).Mean();
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void LinearRegressionConverges(DType dtype)
    {
        Init.ManualSeed(3);
        var model = new Linear(D, 1, dtype: dtype);
        var initialWeight = model.Parameters().First();
        var before = model.StateDict();
        var (x, y) = Data(dtype);
        var optimizer = new Sgd(0.2, momentum: 0.5);
        using var step = Compiler.TrainStep(model, MeanSquaredError, optimizer, x, y);
        float first = step.Run(x, y);
        float last = first;
        for (int i = 0; i < 60; i++)
        {
            last = step.Run(x, y);
        }
        Assert.True(last < first / 100, $"loss went from {first} to {last}");

        // The model's own parameters were updated in place (same Parameter objects, new values), and StateDict shows them.
        Assert.Same(initialWeight, model.Parameters().First());
        var after = model.StateDict();
        Assert.Equal(["weight", "bias"], after.Keys);
        Assert.NotEqual(before["weight"].ToDoubleArray(), after["weight"].ToDoubleArray());
        Assert.Equal(model.Parameters().First().Data.ToDoubleArray(), after["weight"].ToDoubleArray());
        var weight = after["weight"].ToDoubleArray();
        for (int j = 0; j < D; j++)
        {
            Assert.True(Math.Abs(weight[j] - TrueWeight[j]) < 0.05, $"weight[{j}] = {weight[j]}, expected {TrueWeight[j]}");
        }
        Assert.True(Math.Abs(after["bias"].GetDouble(0) - TrueBias) < 0.05, $"bias = {after["bias"].GetDouble(0)}");

        // An inference function sees the trained parameters.
        using var inference = Compiler.Inference(model, x);
        var predictions = inference.Run(x).ToDoubleArray();
        var targets = y.ToDoubleArray();
        Assert.True(predictions.Zip(targets, (p, t) => (p - t) * (p - t)).Average() < first / 100);
    }

    [Fact]
    public void TheGraphUpdatesEveryParameterAndOptimizerStateInPlace()
    {
        Init.ManualSeed(3);
        var model = new Linear(D, 1, dtype: DType.F32);
        var (x, y) = Data(DType.F32);
        using var step = Compiler.TrainStep(model, MeanSquaredError, new Adam(0.01), x, y);
        var aliased = step.Graph.Outputs.Where(o => o.Aliases is not null).Select(o => o.Aliases!.Name).ToArray();
        Assert.Equal(["adam.bias.exp_avg", "adam.bias.exp_avg_sq", "adam.weight.exp_avg", "adam.weight.exp_avg_sq", "bias", "optimizer.step", "weight"],
            aliased.Order(StringComparer.Ordinal));
        Assert.Equal("loss", step.Graph.Outputs[0].Name);
    }

    [Fact]
    public void AWrongRankOrDTypeIsAClearErrorNamingTheCallersLine()
    {
        Init.ManualSeed(3);
        var model = new Linear(D, 1, dtype: DType.F32);
        var (x, y) = Data(DType.F32);
        int compiledAt = TrainingTestUtil.Line() + 1;
        using var step = Compiler.TrainStep(model, MeanSquaredError, new Sgd(0.1), x, y, new CompileOptions { Log = _ => { } });
        var (x64, _) = Data(DType.F64);
        int calledAt = TrainingTestUtil.Line() + 1;
        var error = Assert.Throws<ArgumentException>(() => step.Run(x64, y));
        Assert.StartsWith($"TrainStepTests.cs:{calledAt}: error: train_step: x must be f32 of rank 2 (compiled at TrainStepTests.cs:{compiledAt} for f32[32,3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("got f64[32,3]", error.Message, StringComparison.Ordinal);
        calledAt = TrainingTestUtil.Line() + 1;
        error = Assert.Throws<ArgumentException>(() => step.Run(x, y.Reshape(new Shape(32))));
        Assert.StartsWith($"TrainStepTests.cs:{calledAt}: error: train_step: y must be f32 of rank 2", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => step.Run(x));
        Assert.Contains("train_step takes 2 inputs (x, y", error.Message, StringComparison.Ordinal);

        // A new size of the same rank is traced; where the user's code cannot take it, the trace's error names that code's line.
        var (smallX, _) = Data(DType.F32, n: 8);
        var shapeError = Assert.Throws<ShapeException>(() => step.Run(smallX, y));
        Assert.Equal(new SourceLoc("TrainStepTests.cs", 34), shapeError.Loc);

        // The failed calls changed nothing and compiled nothing; a right batch still trains.
        Assert.Single(step.CompiledShapes);
        var weight = model.Parameters().First().Data.ToDoubleArray();
        step.Run(x, y);
        Assert.NotEqual(weight, model.Parameters().First().Data.ToDoubleArray());
    }

    [Fact]
    public void ANonScalarLossIsAClearError()
    {
        Init.ManualSeed(3);
        var model = new Linear(D, 1, dtype: DType.F32);
        var (x, y) = Data(DType.F32);
        var error = Assert.Throws<ArgumentException>(() => Compiler.TrainStep(model, (m, a, b) => m.Forward(a) - b, new Sgd(0.1), x, y));
        Assert.Contains("float scalar", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Three Gaussian blobs in 2-D: x f32 [n, 2], labels i64 [n].</summary>
    private static (HostTensor X, HostTensor Y) Blobs(int n, int seed)
    {
        double[][] centers = [[0, 3], [-3, -2], [3, -2]];
        var random = new Random(seed);
        var x = new double[n * 2];
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < 2; j++)
            {
                double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                x[i * 2 + j] = centers[y[i]][j] + normal;
            }
        }
        return (HostTensor.FromDoubles(DType.F32, new Shape(n, 2), x), HostTensor.FromInt64s(DType.I64, new Shape(n), y));
    }

    [Fact]
    public void MlpClassifierWithCrossEntropyLearns()
    {
        // Exercises the rules a classifier needs: matmul, permute, broadcast, add, max (ReLU), and cross-entropy's
        // gather with i64 targets, reduce_max, where, exp, log, sub, div.
        Init.ManualSeed(5);
        var model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 3));
        var (x, y) = Blobs(96, seed: 11);
        using var step = Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Adam(0.05), x, y);
        float first = step.Run(x, y);
        float last = first;
        for (int i = 0; i < 40; i++)
        {
            last = step.Run(x, y);
        }
        Assert.True(last < first / 5, $"loss went from {first} to {last}");
        using var predict = Compiler.Inference(model, x);
        var logits = predict.Run(x).ToDoubleArray();
        var labels = y.ToInt64Array();
        int correct = Enumerable.Range(0, labels.Length)
            .Count(i => Enumerable.Range(0, 3).MaxBy(c => logits[i * 3 + c]) == labels[i]);
        Assert.True(correct >= 0.9 * labels.Length, $"{correct} of {labels.Length} correct");
    }

    [Fact]
    public void CrossEntropyOfALinearModelPassesGradCheck()
    {
        var random = new Random(3);
        HostTensor Normal(params int[] shape) => HostTensor.FromDoubles(DType.F64, new Shape(shape),
            Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => random.NextDouble() * 2 - 1).ToArray());
        var targets = HostTensor.FromInt64s(DType.I64, new Shape(4), [2, 0, 1, 2]);
        var result = GradCheck.Check(t => F.CrossEntropy(F.Linear(t[0], t[2], t[3]), t[1]), [Normal(4, 3), targets, Normal(3, 3), Normal(3)], order: 2);
        Assert.True(result.Passed, result.ToString());
    }
}
