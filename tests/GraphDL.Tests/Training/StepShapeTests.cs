using GraphDL.IR;

namespace GraphDL.Tests.Training;

/// <summary>
/// Training steps of any shape, each against an independent double-precision computation: a masked loss of three
/// inputs, gradient clipping by global norm, the gradients handed back, a one-input loss, the loss in its own dtype.
/// </summary>
public class StepShapeTests
{
    private const int N = 6, D = 3;

    /// <summary>x [N, D], y [N, 1] and a 0/1 mask [N, 1], all f64, seeded.</summary>
    private static (HostTensor X, HostTensor Y, HostTensor Mask) Batch(int seed)
    {
        var random = new Random(seed);
        double[] Draw(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        return (TrainingTestUtil.F64(Draw(N * D), N, D), TrainingTestUtil.F64(Draw(N), N, 1),
            TrainingTestUtil.F64(Enumerable.Range(0, N).Select(i => i % 3 == 1 ? 0.0 : 1.0).ToArray(), N, 1));
    }

    private static Tensor MaskedMse(Linear m, Tensor x, Tensor y, Tensor mask)
    {
        var error = m.Forward(x) - y;
        return (error * error * mask).Sum() / mask.Sum();
    }

    /// <summary>The masked loss and its gradient w.r.t. (w [D], b), in doubles: L = Σ mᵢrᵢ²/Σm, rᵢ = xᵢ·w + b − yᵢ.</summary>
    private static (double Loss, double[] GradW, double GradB) Reference(double[] w, double b, HostTensor x, HostTensor y, HostTensor mask)
    {
        double[] xs = x.ToDoubleArray(), ys = y.ToDoubleArray(), ms = mask.ToDoubleArray();
        double count = ms.Sum(), loss = 0, gradB = 0;
        var gradW = new double[D];
        for (int i = 0; i < N; i++)
        {
            double r = b - ys[i];
            for (int j = 0; j < D; j++)
            {
                r += xs[i * D + j] * w[j];
            }
            loss += ms[i] * r * r / count;
            gradB += 2 * ms[i] * r / count;
            for (int j = 0; j < D; j++)
            {
                gradW[j] += 2 * ms[i] * r * xs[i * D + j] / count;
            }
        }
        return (loss, gradW, gradB);
    }

    private static (double[] W, double B) Parameters(Linear model) =>
        (model.Weight.Parameter!.Data.ToDoubleArray(), model.Bias!.Parameter!.Data.GetDouble(0));

    [Fact]
    public void AThreeInputStepMatchesADoublePrecisionReference()
    {
        Init.ManualSeed(1);
        var model = new Linear(D, 1, dtype: DType.F64);
        var (x, y, mask) = Batch(0);
        using var step = Compiler.TrainStep(model, MaskedMse, new Sgd(0.05), x, y, mask, step: new StepOptions { ReturnGradients = true });
        Assert.Equal(["x", "y", "mask"], step.InputNames);
        Assert.Equal(["x", "y", "mask", "lr"], step.Graph.Inputs.Where(i => i.Role == InputRole.Input).Select(i => i.Name));
        var (w, b) = Parameters(model);
        for (int t = 0; t < 3; t++)
        {
            (x, y, mask) = Batch(t);
            var (loss, gradW, gradB) = Reference(w, b, x, y, mask);
            var result = t == 1 ? step.Step([x, y, mask]) : step.Step(x, y, mask);

            Assert.Equal(DType.F64, result.Loss.DType);                   // an f64 model's loss comes back as f64
            TrainingTestUtil.AssertClose([loss], [result.LossValue], $"loss at step {t + 1}");
            TrainingTestUtil.AssertClose(gradW, result.Gradients!["weight"].ToDoubleArray(), $"grad weight at step {t + 1}");
            TrainingTestUtil.AssertClose([gradB], result.Gradients["bias"].ToDoubleArray(), $"grad bias at step {t + 1}");
            Assert.Equal(0.05, result.LearningRate);
            Assert.Equal(t + 1, result.Step);
            Assert.Null(result.GradNorm);

            w = w.Select((wj, j) => wj - 0.05 * gradW[j]).ToArray();
            b -= 0.05 * gradB;
            var (actualW, actualB) = Parameters(model);
            TrainingTestUtil.AssertClose(w, actualW, $"weight after step {t + 1}");
            TrainingTestUtil.AssertClose([b], [actualB], $"bias after step {t + 1}");
        }
        Assert.Equal(3, step.Steps);
    }

    [Theory]
    [InlineData(0.1, 2.0)]                         // clips: the gradient's norm is well above 0.1
    [InlineData(1e6, 2.0)]                         // does not clip
    [InlineData(0.1, double.PositiveInfinity)]     // the max-norm
    [InlineData(0.2, 1.0)]
    public void ClippingByGlobalNormMatchesADoublePrecisionReference(double maxNorm, double normType)
    {
        Init.ManualSeed(2);
        var model = new Linear(D, 1, dtype: DType.F64);
        var (x, y, mask) = Batch(5);
        var options = new StepOptions { ClipGradNorm = maxNorm, ClipNormType = normType, ReturnGradients = true };
        using var step = Compiler.TrainStep(model, MaskedMse, new Sgd(0.5, momentum: 0.9), x, y, mask, step: options);
        var (w, b) = Parameters(model);
        double[]? buffer = null;
        for (int t = 0; t < 3; t++)
        {
            (x, y, mask) = Batch(5 + t);
            var (_, gradW, gradB) = Reference(w, b, x, y, mask);
            double[] g = [.. gradW, gradB];
            // torch.nn.utils.clip_grad_norm_: total = ‖g‖_p over all gradients; scale by min(1, max/(total + 1e-6)).
            double total = double.IsPositiveInfinity(normType) ? g.Max(Math.Abs) : Math.Pow(g.Sum(v => Math.Pow(Math.Abs(v), normType)), 1 / normType);
            double scale = Math.Min(1, maxNorm / (total + 1e-6));
            g = g.Select(v => v * scale).ToArray();

            var result = step.Step(x, y, mask);
            TrainingTestUtil.AssertClose([total], result.GradNorm!.ToDoubleArray(), $"norm at step {t + 1}", 1e-10);
            TrainingTestUtil.AssertClose(g[..D], result.Gradients!["weight"].ToDoubleArray(), $"clipped grad weight at step {t + 1}", 1e-10);

            // SGD with momentum 0.9 on the clipped gradient.
            buffer = buffer is null ? g : buffer.Select((v, i) => 0.9 * v + g[i]).ToArray();
            w = w.Select((wj, j) => wj - 0.5 * buffer[j]).ToArray();
            b -= 0.5 * buffer[D];
            var (actualW, actualB) = Parameters(model);
            TrainingTestUtil.AssertClose(w, actualW, $"weight after step {t + 1}", 1e-10);
            TrainingTestUtil.AssertClose([b], [actualB], $"bias after step {t + 1}", 1e-10);
        }
    }

    [Fact]
    public void StepOptionsRefuseNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepOptions { ClipGradNorm = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepOptions { ClipGradNorm = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepOptions { ClipNormType = -1 });
    }

    /// <summary>A model of one f64 vector whose loss is a function of it and one input: ½‖w − x‖².</summary>
    private sealed class Point : Module
    {
        public Point() => W = AddParameter("w", HostTensor.FromArray([0.0, 0.0], 2));

        public Tensor W { get; }
    }

    [Fact]
    public void AOneInputLossAndAnyNumberOfInputs()
    {
        var model = new Point();
        var target = TrainingTestUtil.F64([3.0, -1.0], 2);
        using var step = Compiler.TrainStep(model, (m, goal) => ((m.W - goal) * (m.W - goal)).Sum() * 0.5, new Sgd(0.5), target);
        Assert.Equal(["goal"], step.InputNames);
        Assert.Equal(5.0, step.Run(target));              // ½(9 + 1), at w = 0
        Assert.Equal([1.5, -0.5], model.W.Parameter!.Data.ToDoubleArray());   // w ← w − ½(w − x)

        // The array form takes any number of inputs, named input0, input1, ...: here ½‖w − a‖² + ½‖w − b‖² + ½‖w − c‖².
        var other = new Point();
        HostTensor[] batch = [TrainingTestUtil.F64([1.0, 0.0], 2), TrainingTestUtil.F64([0.0, 1.0], 2), TrainingTestUtil.F64([2.0, 2.0], 2)];
        using var many = Compiler.TrainStep(other, (m, inputs) => inputs.Select(t => ((m.W - t) * (m.W - t)).Sum() * 0.5).Aggregate((a, c) => a + c),
            new Sgd(0.1), batch);
        Assert.Equal(["input0", "input1", "input2"], many.InputNames);
        var result = many.Step(batch);
        Assert.Equal(0.5 * (1 + 1 + 8), result.LossValue);
        // ∇ = 3w − (a + b + c) = −(3, 3) at w = 0.
        Assert.Equal([0.3, 0.3], other.W.Parameter!.Data.ToDoubleArray().Select(v => Math.Round(v, 12)));
    }

    /// <summary>A recurrent cell h' = tanh(x + h·W) with W [2, 2] f64.</summary>
    private sealed class Cell : Module
    {
        public Cell() => W = AddParameter("w", HostTensor.FromArray([0.5, -0.25, 0.75, 0.1], 2, 2));

        public Tensor W { get; }
    }

    [Fact]
    public void ALossFunctionCanReturnOtherTensorsSuchAsTheNextHiddenState()
    {
        var model = new Cell();
        var x = TrainingTestUtil.F64([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], 3, 2);
        var h = TrainingTestUtil.F64([0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 3, 2);
        var log = new List<string>();
        using var step = Compiler.TrainStep(model, (m, a) =>
        {
            var next = (a[0] + a[1].MatMul(m.W)).Tanh();
            return ((next * next).Mean(), [next]);
        }, new Sgd(0.1), [x, h], new CompileOptions { Log = log.Add });

        // Truncated BPTT: each chunk starts from the state the previous one ended in, a value, not a path for gradients.
        for (int chunk = 0; chunk < 3; chunk++)
        {
            double[] w = model.W.Parameter!.Data.ToDoubleArray(), xs = x.ToDoubleArray(), hs = h.ToDoubleArray();
            var expected = new double[6];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    expected[i * 2 + j] = Math.Tanh(xs[i * 2 + j] + hs[i * 2] * w[j] + hs[i * 2 + 1] * w[2 + j]);
                }
            }
            var result = step.Step([x, h]);
            Assert.Single(result.Outputs);
            TrainingTestUtil.AssertClose(expected, result.Outputs[0].ToDoubleArray(), $"hidden state after chunk {chunk + 1}");
            TrainingTestUtil.AssertClose([expected.Select(v => v * v).Average()], [result.LossValue], $"loss of chunk {chunk + 1}");
            h = result.Outputs[0];
        }
        Assert.Empty(log);
    }

    [Fact]
    public void AnF32LossStaysF32AndRunGivesItAsAFloat()
    {
        Init.ManualSeed(4);
        var model = new Linear(D, 1);
        var x = HostTensor.FromArray(Enumerable.Range(0, N * D).Select(i => (float)Math.Sin(i)).ToArray(), N, D);
        var y = HostTensor.FromArray(Enumerable.Range(0, N).Select(i => (float)i).ToArray(), N, 1);
        using var step = Compiler.TrainStep(model, (m, a, b) => ((m.Forward(a) - b) * (m.Forward(a) - b)).Mean(), new Adam(0.01), x, y);
        var result = step.Step(x, y);
        Assert.Equal(new TensorType(DType.F32, Shape.Scalar), result.Loss.Type);
        Assert.Null(result.Gradients);
        Assert.Empty(result.Outputs);
        Assert.DoesNotContain(step.Graph.Outputs, o => o.Name?.StartsWith("grad", StringComparison.Ordinal) == true);
        float next = step.Run(x, y);
        Assert.True(next < result.LossValue, $"{next} after {result.LossValue}");
    }
}
