using GraphDL.IR;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>
/// The module forms of PReLU, SELU, RReLU and the MSE, L1, cross-entropy, NLL, BCE, BCE-with-logits and margin ranking
/// losses (f64, the interpreter) against double formulas written here from PyTorch's definitions.
/// </summary>
public class ActivationAndLossModuleTests
{
    private static readonly double[] Inputs = [.. Random(500, 10, 2), 0, -3, 4, -0.5, 1e-3, -25];

    [Fact]
    public void PReLUSharesOneSlopeOrLearnsOnePerChannel()
    {
        var shared = new PReLU(dtype: DType.F64);
        Assert.Equal([0.25], Values(shared, "weight"));
        var x = F64(Inputs, 2, 4, 2);
        AssertClose(Inputs.Select(v => v > 0 ? v : 0.25 * v).ToArray(), Forward(shared, x), 0);

        var perChannel = new PReLU(4, init: 0.1, dtype: DType.F64);
        perChannel.LoadStateDict(new Dictionary<string, HostTensor> { ["weight"] = F64([0.1, -0.5, 2, 0], 4) });
        double[] slopes = [0.1, -0.5, 2, 0];
        AssertClose(Inputs.Select((v, i) => v > 0 ? v : slopes[i / 2 % 4] * v).ToArray(), Forward(perChannel, x), 0);
        Assert.ThrowsAny<Exception>(() => Forward(perChannel, F64(Inputs, 16)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PReLU(0));
    }

    [Fact]
    public void SELUIsTheScaledElu()
    {
        const double alpha = 1.6732632423543772848170429916717, scale = 1.0507009873554804934193349852946;
        var y = Forward(new SELU(), F64(Inputs, Inputs.Length));
        AssertClose(Inputs.Select(v => scale * (v > 0 ? v : alpha * (Math.Exp(v) - 1))).ToArray(), y, 1e-14);
    }

    [Fact]
    public void RReLUDrawsSlopesInTrainingAndUsesTheirMeanInEval()
    {
        var rrelu = new RReLU(0.2, 0.4);
        var values = Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? -1.0 - i : 1.0 + i).ToArray();
        var x = F64(values, 20, 20);
        var train = Forward(rrelu, x).ToDoubleArray();
        var slopes = values.Select((v, i) => train[i] / v).Where((_, i) => values[i] < 0).ToArray();
        Assert.All(values.Where(v => v > 0), v => Assert.Contains(v, train));
        Assert.All(slopes, s => Assert.InRange(s, 0.2, 0.4));
        Assert.True(slopes.Distinct().Count() > 150, "training slopes are not drawn per element");
        rrelu.Eval();
        AssertClose(values.Select(v => v > 0 ? v : 0.3 * v).ToArray(), Forward(rrelu, x), 1e-15);
        Assert.Throws<ArgumentException>(() => new RReLU(0.5, 0.1));
    }

    private static double Reduce(IEnumerable<double> values, string reduction) =>
        reduction == "sum" ? values.Sum() : values.Average();

    private static HostTensor Loss(Module loss, Func<Tensor, Tensor, Tensor> forward, HostTensor input, HostTensor target) =>
        Run(loss, a => [forward(a[0], a[1])], input, target)[0];

    public static TheoryData<string> Reductions => new(["mean", "sum", "none"]);

    private static void AssertReduced(double[] perElement, string reduction, HostTensor actual, double tolerance = 1e-13)
    {
        if (reduction == "none")
        {
            AssertClose(perElement, actual, tolerance);
        }
        else
        {
            Assert.Equal(0, actual.Shape.Rank);
            AssertClose([Reduce(perElement, reduction)], actual, tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void MseAndL1Losses(string reduction)
    {
        var input = RandomF64(501, 3, 4);
        var target = RandomF64(502, 3, 4);
        var d = input.ToDoubleArray().Zip(target.ToDoubleArray(), (a, b) => a - b).ToArray();
        var mse = new MSELoss(reduction);
        AssertReduced(d.Select(v => v * v).ToArray(), reduction, Loss(mse, mse.Forward, input, target));
        var l1 = new L1Loss(reduction);
        AssertReduced(d.Select(Math.Abs).ToArray(), reduction, Loss(l1, l1.Forward, input, target));
    }

    [Theory]
    [InlineData("mean", 0.0)]
    [InlineData("sum", 0.2)]
    [InlineData("none", 0.1)]
    public void CrossEntropyAndNllLosses(string reduction, double smoothing)
    {
        const int n = 4, c = 5;
        var logits = Random(503, n * c, 3);
        long[] targets = [0, 4, 2, 2];
        var target = HostTensor.FromInt64s(DType.I64, new Shape(n), targets);
        // −Σ_c q_c·log softmax(x)_c with q = (1 − ε)·onehot + ε/C.
        var perRow = new double[n];
        var logProbabilities = new double[n * c];
        for (int r = 0; r < n; r++)
        {
            var row = logits.Skip(r * c).Take(c).ToArray();
            double max = row.Max(), lse = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            for (int k = 0; k < c; k++)
            {
                logProbabilities[r * c + k] = row[k] - lse;
                double q = (k == targets[r] ? 1 - smoothing : 0) + smoothing / c;
                perRow[r] -= q * (row[k] - lse);
            }
        }
        var ce = new CrossEntropyLoss(reduction, smoothing);
        AssertReduced(perRow, reduction, Loss(ce, ce.Forward, F64(logits, n, c), target), 1e-12);
        var nll = new NLLLoss(reduction);
        AssertReduced(Enumerable.Range(0, n).Select(r => -logProbabilities[r * c + targets[r]]).ToArray(), reduction,
            Loss(nll, nll.Forward, F64(logProbabilities, n, c), target), 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss(labelSmoothing: 1.5));
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void BinaryCrossEntropyLosses(string reduction)
    {
        // Probabilities include 0 and 1, where the logs are clamped at −100 and the loss stays finite.
        double[] p = [0.1, 0.5, 0.9, 0, 1, 0.3], y = [0, 1, 1, 1, 0, 0.25];
        var bce = new BCELoss(reduction);
        var expected = p.Zip(y, (pi, yi) => -(yi * Math.Max(Math.Log(pi), -100) + (1 - yi) * Math.Max(Math.Log(1 - pi), -100))).ToArray();
        AssertReduced(expected, reduction, Loss(bce, bce.Forward, F64(p, 2, 3), F64(y, 2, 3)));

        double[] logits = [-3, 0.5, 2, -0.2, 4, 1.5];
        var withLogits = new BCEWithLogitsLoss(reduction);
        var expectedLogits = logits.Zip(y, (x, yi) => -(yi * Math.Log(Sigmoid(x)) + (1 - yi) * Math.Log(1 - Sigmoid(x)))).ToArray();
        AssertReduced(expectedLogits, reduction, Loss(withLogits, withLogits.Forward, F64(logits, 2, 3), F64(y, 2, 3)), 1e-12);
    }

    [Theory]
    [InlineData("mean", 0.0)]
    [InlineData("sum", 0.5)]
    [InlineData("none", -0.2)]
    public void MarginRankingLoss(string reduction, double margin)
    {
        var x1 = Random(504, 6);
        var x2 = Random(505, 6);
        double[] y = [1, -1, 1, 1, -1, -1];
        var loss = new MarginRankingLoss(margin, reduction);
        var result = Run(loss, a => [loss.Forward(a[0], a[1], a[2])], F64(x1, 6), F64(x2, 6), F64(y, 6))[0];
        AssertReduced(Enumerable.Range(0, 6).Select(i => Math.Max(0, -y[i] * (x1[i] - x2[i]) + margin)).ToArray(), reduction, result);
    }
}
