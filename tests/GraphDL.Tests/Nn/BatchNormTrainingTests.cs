using GraphDL.IR;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>Batch norm inside compiled training steps and inference: running statistics, num_batches_tracked, modes.</summary>
public class BatchNormTrainingTests
{
    // Two batches [3, 2] whose per-channel statistics are easy by hand:
    // step 1: channel 0 = 1, 3, 5 (mean 3, unbiased variance 4), channel 1 = 2, 6, 10 (mean 6, unbiased variance 16);
    // step 2: channel 0 = 0, 2, 4 (mean 2, unbiased variance 4), channel 1 = −1, 1, 3 (mean 1, unbiased variance 4).
    private static readonly HostTensor X1 = F64([1, 2, 3, 6, 5, 10], 3, 2);
    private static readonly HostTensor X2 = F64([0, -1, 2, 1, 4, 3], 3, 2);
    private static readonly HostTensor Y = F64([1, -1, 0.5, 2, -2, 0.25], 3, 2);

    [Fact]
    public void TwoTrainingStepsUpdateTheRunningStatisticsAndTheAffineParameters()
    {
        var bn = new BatchNorm1d(2, dtype: DType.F64);
        using var step = Compiler.TrainStep(bn, (m, x, y) => (m.Forward(x) * y).Sum(), new Sgd(0.1), X1, Y);
        Assert.Contains(step.Graph.Outputs, o => o.Name == "new.running_mean");
        Assert.Contains(step.Graph.Outputs, o => o.Name == "new.num_batches_tracked");

        step.Run(X1, Y);
        // running = 0.9·running + 0.1·batch, with the unbiased variance: mean 0.9·0 + 0.1·[3, 6], var 0.9·1 + 0.1·[4, 16].
        AssertClose([0.3, 0.6], bn.StateDict()["running_mean"], 1e-14);
        AssertClose([1.3, 2.5], bn.StateDict()["running_var"], 1e-14);
        Assert.Equal(1, bn.StateDict()["num_batches_tracked"].GetInt64(0));
        // d/dw Σ y·(x̂·w + b) = Σ_n y·x̂ and d/db = Σ_n y, with x̂ from the biased batch variance (8/3 and 32/3).
        var xhat = new[] { -2, -4, 0, 0, 2, 4 }.Select((d, i) => d / Math.Sqrt((i % 2 == 0 ? 8.0 / 3 : 32.0 / 3) + 1e-5)).ToArray();
        var y = Y.ToDoubleArray();
        double GradW(int c) => Enumerable.Range(0, 3).Sum(n => y[n * 2 + c] * xhat[n * 2 + c]);
        double GradB(int c) => Enumerable.Range(0, 3).Sum(n => y[n * 2 + c]);
        AssertClose([1 - 0.1 * GradW(0), 1 - 0.1 * GradW(1)], bn.StateDict()["weight"], 1e-12);
        AssertClose([-0.1 * GradB(0), -0.1 * GradB(1)], bn.StateDict()["bias"], 1e-12);

        step.Run(X2, Y);
        // mean 0.9·[0.3, 0.6] + 0.1·[2, 1] = [0.47, 0.64]; var 0.9·[1.3, 2.5] + 0.1·[4, 4] = [1.57, 2.65].
        AssertClose([0.47, 0.64], bn.StateDict()["running_mean"], 1e-14);
        AssertClose([1.57, 2.65], bn.StateDict()["running_var"], 1e-14);
        Assert.Equal(2, bn.StateDict()["num_batches_tracked"].GetInt64(0));

        // Evaluation normalizes with the running statistics and leaves them alone.
        var w = bn.StateDict()["weight"].ToDoubleArray();
        var b = bn.StateDict()["bias"].ToDoubleArray();
        using var inference = Compiler.Inference(bn, X1);
        Assert.DoesNotContain(inference.Graph.Outputs, o => o.Aliases is not null);
        var out1 = inference.Run(X1);
        double[] mean = [0.47, 0.64], variance = [1.57, 2.65];
        AssertClose(X1.ToDoubleArray().Select((v, i) => (v - mean[i % 2]) / Math.Sqrt(variance[i % 2] + 1e-5) * w[i % 2] + b[i % 2]).ToArray(), out1, 1e-12);
        AssertClose([0.47, 0.64], bn.StateDict()["running_mean"], 1e-14);
        Assert.True(bn.Training, "Inference restores the training mode");
    }

    [Fact]
    public void ATrainingStepOfAModelInEvalModeKeepsTheBuffers()
    {
        var model = new Sequential(new Linear(2, 2, dtype: DType.F64), new BatchNorm1d(2, dtype: DType.F64));
        model.Eval();
        using var step = Compiler.TrainStep(model, (m, x, y) => (m.Forward(x) * y).Sum(), new Sgd(0.1), X1, Y);
        Assert.DoesNotContain(step.Graph.Outputs, o => o.Name == "new.m1.running_mean");
        step.Run(X1, Y);
        AssertClose([0, 0], model.StateDict()["m1.running_mean"], 0);
        AssertClose([1, 1], model.StateDict()["m1.running_var"], 0);
        Assert.Equal(0, model.StateDict()["m1.num_batches_tracked"].GetInt64(0));
    }

    [Fact]
    public void Conv2dBatchNorm2dStackTrainsWithUpdatedStatistics()
    {
        var model = new Sequential(new Conv2d(1, 2, 2, dtype: DType.F64), new BatchNorm2d(2, momentum: 0.5, dtype: DType.F64), new ReLU(), new Flatten(), new Linear(8, 2, dtype: DType.F64));
        var x = RandomF64(300, 2, 1, 3, 3);
        var target = HostTensor.FromInt64s(DType.I64, new Shape(2), [0, 1]);
        using var step = Compiler.TrainStep(model, (m, xs, ys) => F.CrossEntropy(m.Forward(xs), ys), new Sgd(0.05), x, target);
        float first = step.Run(x, target);
        float second = step.Run(x, target);
        Assert.True(second < first, $"loss {first} then {second}");
        Assert.Equal(2, model.StateDict()["m1.num_batches_tracked"].GetInt64(0));
        Assert.DoesNotContain(0.0, model.StateDict()["m1.running_mean"].ToDoubleArray());
    }
}
