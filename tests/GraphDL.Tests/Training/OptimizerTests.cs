using GraphDL.IR;

namespace GraphDL.Tests.Training;

using Autodiff = GraphDL.Autodiff;

/// <summary>
/// Each optimizer against an independent double-precision implementation of PyTorch's update formulas, over three
/// steps of a tiny f64 model with a known gradient. The loss is L(w) = Σ x·w² + Σ y·w, so ∇L = 2x·w + y (it
/// changes with w, which exercises the momentum and moment buffers).
/// </summary>
public class OptimizerTests
{
    private static readonly double[] X = [0.5, -1.5, 2.0];
    private static readonly double[] Y = [0.3, 0.7, -0.2];
    private static readonly double[] W0 = [1.0, -2.0, 0.5];

    /// <summary>One f64 parameter vector of three values.</summary>
    internal sealed class Vector3 : Module
    {
        public Vector3(double[] initial) => W = AddParameter("w", HostTensor.FromArray(initial.ToArray(), 3));

        public Tensor W { get; }
    }

    internal static Tensor Loss(Vector3 model, Tensor x, Tensor y) => (model.W * model.W * x).Sum() + (model.W * y).Sum();

    private static double[] Gradient(double[] w) => w.Select((wi, i) => 2 * X[i] * wi + Y[i]).ToArray();

    private static double LossValue(double[] w) => w.Select((wi, i) => X[i] * wi * wi + Y[i] * wi).Sum();

    /// <summary>torch.optim.SGD's single-tensor step (weight decay, momentum with dampening, Nesterov).</summary>
    private sealed class ReferenceSgd(double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
    {
        private double[]? _buffer;

        public double[] Step(double[] w, double lr)
        {
            var g = Gradient(w);
            for (int i = 0; i < g.Length; i++)
            {
                g[i] += weightDecay * w[i];
            }
            if (momentum != 0)
            {
                if (_buffer is null)
                {
                    _buffer = g.ToArray();
                }
                else
                {
                    for (int i = 0; i < g.Length; i++)
                    {
                        _buffer[i] = momentum * _buffer[i] + (1 - dampening) * g[i];
                    }
                }
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] = nesterov ? g[i] + momentum * _buffer[i] : _buffer[i];
                }
            }
            return w.Select((wi, i) => wi - lr * g[i]).ToArray();
        }
    }

    /// <summary>torch.optim.Adam / AdamW's single-tensor step (no amsgrad).</summary>
    private sealed class ReferenceAdam(double beta1, double beta2, double eps, double weightDecay, bool decoupled)
    {
        private readonly double[] _m = new double[3];
        private readonly double[] _v = new double[3];
        private int _t;

        public double[] Step(double[] w, double lr)
        {
            _t++;
            var g = Gradient(w);
            w = w.ToArray();
            for (int i = 0; i < w.Length; i++)
            {
                if (decoupled)
                {
                    w[i] *= 1 - lr * weightDecay;
                }
                else
                {
                    g[i] += weightDecay * w[i];
                }
            }
            double bias1 = 1 - Math.Pow(beta1, _t), bias2 = 1 - Math.Pow(beta2, _t);
            double stepSize = lr / bias1;
            for (int i = 0; i < w.Length; i++)
            {
                _m[i] = beta1 * _m[i] + (1 - beta1) * g[i];
                _v[i] = beta2 * _v[i] + (1 - beta2) * g[i] * g[i];
                double denominator = Math.Sqrt(_v[i]) / Math.Sqrt(bias2) + eps;
                w[i] -= stepSize * _m[i] / denominator;
            }
            return w;
        }
    }

    private static HostTensor Vec(double[] values) => HostTensor.FromArray(values.ToArray(), 3);

    internal static void AssertClose(double[] expected, double[] actual, string what, double rtol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = rtol * Math.Max(Math.Abs(expected[i]), 1e-3);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (difference {Math.Abs(expected[i] - actual[i]):E2})");
        }
    }

    /// <summary>Runs <paramref name="learningRates"/>.Length steps and compares w after each with the reference.</summary>
    private static void Check(Optimizer optimizer, Func<double[], double, double[]> reference, params double[] learningRates)
    {
        var model = new Vector3(W0);
        using var step = Compiler.TrainStep(model, Loss, optimizer, Vec(X), Vec(Y));
        var graph = step.Graph;
        var expected = W0.ToArray();
        for (int t = 0; t < learningRates.Length; t++)
        {
            optimizer.LearningRate = learningRates[t];
            float loss = step.Run(Vec(X), Vec(Y));
            Assert.True(Math.Abs(LossValue(expected) - loss) <= 1e-5 * Math.Max(1, Math.Abs(LossValue(expected))), $"loss {loss} vs {LossValue(expected)}");
            expected = reference(expected, learningRates[t]);
            AssertClose(expected, model.Parameters().Single().Data.ToDoubleArray(), $"{optimizer.GetType().Name} step {t + 1}: w");
        }
        Assert.Same(graph, step.Graph);
    }

    [Fact]
    public void PlainSgd() => Check(new Sgd(0.1), new ReferenceSgd().Step, 0.1, 0.1, 0.1);

    [Fact]
    public void SgdWithMomentum() =>
        Check(new Sgd(0.1, momentum: 0.9), new ReferenceSgd(momentum: 0.9).Step, 0.1, 0.1, 0.1);

    [Fact]
    public void SgdWithMomentumAndDampening() =>
        Check(new Sgd(0.1, momentum: 0.8, dampening: 0.3), new ReferenceSgd(momentum: 0.8, dampening: 0.3).Step, 0.1, 0.1, 0.1);

    [Fact]
    public void SgdNesterov() =>
        Check(new Sgd(0.1, momentum: 0.9, nesterov: true), new ReferenceSgd(momentum: 0.9, nesterov: true).Step, 0.1, 0.1, 0.1);

    [Fact]
    public void SgdWithWeightDecay() =>
        Check(new Sgd(0.1, weightDecay: 0.05), new ReferenceSgd(weightDecay: 0.05).Step, 0.1, 0.1, 0.1);

    [Fact]
    public void SgdWithWeightDecayMomentumAndNesterov() =>
        Check(new Sgd(0.1, momentum: 0.7, weightDecay: 0.05, nesterov: true),
            new ReferenceSgd(momentum: 0.7, weightDecay: 0.05, nesterov: true).Step, 0.1, 0.1, 0.1);

    [Fact]
    public void AdamWithoutWeightDecay() =>
        Check(new Adam(0.1, beta1: 0.8, beta2: 0.95, epsilon: 1e-3),
            new ReferenceAdam(0.8, 0.95, 1e-3, 0, decoupled: false).Step, 0.1, 0.1, 0.1);

    [Fact]
    public void AdamWithDefaults() =>
        Check(new Adam(0.01), new ReferenceAdam(0.9, 0.999, 1e-8, 0, decoupled: false).Step, 0.01, 0.01, 0.01);

    [Fact]
    public void AdamWithWeightDecay() =>
        Check(new Adam(0.1, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, weightDecay: 0.1),
            new ReferenceAdam(0.8, 0.95, 1e-3, 0.1, decoupled: false).Step, 0.1, 0.1, 0.1);

    [Fact]
    public void AdamWDecoupledWeightDecay() =>
        Check(new AdamW(0.1, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, weightDecay: 0.1),
            new ReferenceAdam(0.8, 0.95, 1e-3, 0.1, decoupled: true).Step, 0.1, 0.1, 0.1);

    [Fact]
    public void LearningRateChangesTakeEffectWithoutRecompiling()
    {
        Check(new Sgd(0.1, momentum: 0.9), new ReferenceSgd(momentum: 0.9).Step, 0.1, 0.02, 0.3);
        Check(new Adam(0.1, beta1: 0.8, beta2: 0.95, epsilon: 1e-3), new ReferenceAdam(0.8, 0.95, 1e-3, 0, decoupled: false).Step, 0.1, 0.02, 0.3);
        Check(new AdamW(0.1, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, weightDecay: 0.1),
            new ReferenceAdam(0.8, 0.95, 1e-3, 0.1, decoupled: true).Step, 0.1, 0.02, 0.3);
    }

    [Fact]
    public void ZeroLearningRateLeavesParametersButAdvancesState()
    {
        // lr = 0 for the first step: w is unchanged, but the momentum buffer and the step count still advance (as in PyTorch).
        Check(new Sgd(0.1, momentum: 0.9), new ReferenceSgd(momentum: 0.9).Step, 0.0, 0.1, 0.1);
        Check(new Adam(0.1, beta1: 0.8, beta2: 0.95, epsilon: 1e-3), new ReferenceAdam(0.8, 0.95, 1e-3, 0, decoupled: false).Step, 0.0, 0.1, 0.1);
    }

    [Fact]
    public void NesterovNeedsMomentumAndNoDampening()
    {
        Assert.Throws<ArgumentException>(() => new Sgd(0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
    }
}
