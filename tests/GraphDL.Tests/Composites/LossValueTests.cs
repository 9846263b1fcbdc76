using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>Loss composites against hand-written double formulas, their reductions, and stability at logits of ±1e4.</summary>
public class LossValueTests
{
    private static readonly double[] A = [0.5, -1, 2, 0, 3, -2.5], B = [1, 1, -1, 0.25, 3, 0.5];

    private static double[] Reduce(double[] values, string reduction) => reduction switch
    {
        "mean" => [values.Average()],
        "sum" => [values.Sum()],
        _ => values,
    };

    [Theory]
    [InlineData("mean")]
    [InlineData("sum")]
    [InlineData("none")]
    public void MseAndL1(string reduction)
    {
        var squared = A.Zip(B, (a, b) => (a - b) * (a - b)).ToArray();
        var absolute = A.Zip(B, (a, b) => Math.Abs(a - b)).ToArray();
        AssertClose(Reduce(squared, reduction), One(x => F.MseLoss(x[0], x[1], reduction), F64(A, 2, 3), F64(B, 2, 3)), 0, 1e-15, "mse");
        AssertClose(Reduce(absolute, reduction), One(x => F.L1Loss(x[0], x[1], reduction), F64(A, 2, 3), F64(B, 2, 3)), 0, 1e-15, "l1");
    }

    [Fact]
    public void DefaultReductionIsMeanAndUnknownOnesThrow()
    {
        var mean = One(x => F.MseLoss(x[0], x[1]), F64(A, 6), F64(B, 6));
        Assert.Equal(0, mean.Shape.Rank);
        Assert.Throws<ArgumentException>(() => One(x => F.MseLoss(x[0], x[1], "average"), F64(A, 6), F64(B, 6)));
        Assert.Throws<ArgumentException>(() => One(x => F.CrossEntropy(x[0], x[1], reduction: "batchmean"), F64([0, 1], 1, 2), I64([0], 1)));
    }

    [Fact]
    public void NllLossPicksTheTargetLogProbability()
    {
        var logp = F64([-1, -2, -3, -0.5, -1.5, -2.5], 2, 3);
        AssertClose(1.75, One(x => F.NllLoss(x[0], x[1]), logp, I64([2, 0], 2)), 0, 0);
        AssertClose(3.5, One(x => F.NllLoss(x[0], x[1], "sum"), logp, I32([2, 0], 2)), 0, 0);
        AssertClose([3, 0.5], One(x => F.NllLoss(x[0], x[1], "none"), logp, I64([2, 0], 2)), 0, 0);
        Assert.Throws<ShapeException>(() => One(x => F.NllLoss(x[0], x[1]), logp, I64([2, 0, 1], 3)));
    }

    /// <summary>−Σ_c q_c·log softmax(x)_c with q = (1 − ε)·onehot(t) + ε/C: PyTorch's definition, computed directly.</summary>
    private static double[] CrossEntropyRows(double[] logits, int classes, long[] targets, double epsilon)
    {
        var losses = new double[targets.Length];
        for (int i = 0; i < targets.Length; i++)
        {
            var row = logits.Skip(i * classes).Take(classes).ToArray();
            double max = row.Max();
            double lse = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            for (int c = 0; c < classes; c++)
            {
                double q = (c == targets[i] ? 1 - epsilon : 0) + epsilon / classes;
                losses[i] -= q * (row[c] - lse);
            }
        }
        return losses;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void CrossEntropyMatchesTheSmoothedTargetDefinition(double epsilon)
    {
        double[] logits = [1, 2, 3, 0.5, 1, -1, -2, 0.25, 0, 0, 4, -3];
        long[] targets = [2, 0, 3];
        var rows = CrossEntropyRows(logits, 4, targets, epsilon);
        AssertClose(rows, One(x => F.CrossEntropy(x[0], x[1], epsilon, "none"), F64(logits, 3, 4), I64(targets, 3)), 1e-15, 1e-14, "none");
        AssertClose(rows.Average(), One(x => F.CrossEntropy(x[0], x[1], epsilon), F64(logits, 3, 4), I64(targets, 3)), 1e-15, 1e-14, "mean");
        AssertClose(rows.Sum(), One(x => F.CrossEntropy(x[0], x[1], epsilon, "sum"), F64(logits, 3, 4), I32(targets, 3)), 1e-15, 1e-14, "sum");
    }

    [Fact]
    public void CrossEntropyWithLabelSmoothingByHand()
    {
        // logits [0, ln 2, ln 4] → softmax [1/7, 2/7, 4/7]; target 2; ε = 0.1, C = 3: q = [1/30, 1/30, 0.9 + 1/30].
        double[] logits = [0, Math.Log(2), Math.Log(4)];
        double expected = -(1.0 / 30 * Math.Log(1.0 / 7) + 1.0 / 30 * Math.Log(2.0 / 7) + (0.9 + 1.0 / 30) * Math.Log(4.0 / 7));
        AssertClose(expected, One(x => F.CrossEntropy(x[0], x[1], labelSmoothing: 0.1), F64(logits, 1, 3), I64([2], 1)), 0, 1e-15);
        Assert.Equal(0.6289305059914173, expected, 1e-15);
    }

    [Fact]
    public void CrossEntropyIsExactAtLogitsOf1e4()
    {
        double[] logits = [1e4, -1e4, 0, -1e4, 1e4, 0];
        // Row 0 target 0: 0. Row 1 target 0: 1e4 − (−1e4) = 2e4. With ε = 0.1 (row means are 0): 1e4 − 0.9·x[t].
        foreach (var (dtype, input) in new[] { (DType.F64, F64(logits, 2, 3)), (DType.F32, F32(logits, 2, 3)) })
        {
            var plain = One(x => F.CrossEntropy(x[0], x[1], reduction: "none"), input, I64([0, 0], 2));
            Assert.Equal(dtype, plain.DType);
            AssertClose([0, 2e4], plain, 0, 0, $"{dtype} plain");
            AssertClose(1e4, One(x => F.CrossEntropy(x[0], x[1]), input, I64([0, 0], 2)), 0, 0, $"{dtype} mean");
            var smoothed = One(x => F.CrossEntropy(x[0], x[1], 0.1, "none"), input, I64([0, 0], 2));
            AssertClose([1000, 19000], smoothed, 0, dtype == DType.F32 ? 1e-6 : 1e-15, $"{dtype} smoothed");
        }
    }

    [Fact]
    public void BinaryCrossEntropyClampsTheLogsAtMinus100()
    {
        double[] p = [0.2, 0.9, 0.5, 0, 0, 1, 1], y = [1, 0, 0.3, 0, 1, 0, 1];
        var expected = p.Zip(y, (pi, yi) => -(yi * Math.Max(Math.Log(pi), -100) + (1 - yi) * Math.Max(Math.Log(1 - pi), -100))).ToArray();
        Assert.Equal([0, 100, 100, 0], expected[3..]);
        AssertClose(expected, One(x => F.BinaryCrossEntropy(x[0], x[1], "none"), F64(p, 7), F64(y, 7)), 1e-15, 1e-15);
        AssertClose(expected.Average(), One(x => F.BinaryCrossEntropy(x[0], x[1]), F64(p, 7), F64(y, 7)), 1e-15, 1e-15);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsMatchesTheDefinitionAndIsExactAt1e4()
    {
        double[] x = [-3, -0.5, 0, 0.5, 3, 12], y = [1, 0, 0.5, 1, 0.25, 0];
        double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        var expected = x.Zip(y, (xi, yi) => -(yi * Math.Log(Sigmoid(xi)) + (1 - yi) * Math.Log(1 - Sigmoid(xi)))).ToArray();
        AssertClose(expected, One(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], "none"), F64(x, 6), F64(y, 6)), 1e-13, 1e-12);
        double[] big = [1e4, 1e4, -1e4, -1e4, 1e4], labels = [1, 0, 1, 0, 0.5];
        foreach (var input in new[] { F64(big, 5), F32(big, 5) })
        {
            var target = input.DType == DType.F64 ? F64(labels, 5) : F32(labels, 5);
            AssertClose([0, 1e4, 1e4, 0, 5000], One(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], "none"), input, target), 0, 0, input.DType.ToString());
        }
    }

    [Fact]
    public void MarginRankingLoss()
    {
        double[] x1 = [1, -1, 0.5, 2], x2 = [0.5, 0.2, 1.5, -1], y = [1, 1, -1, -1];
        foreach (double margin in new[] { 0.0, 0.5 })
        {
            var expected = Enumerable.Range(0, 4).Select(i => Math.Max(0, -y[i] * (x1[i] - x2[i]) + margin)).ToArray();
            AssertClose(expected, One(t => F.MarginRankingLoss(t[0], t[1], t[2], margin, "none"), F64(x1, 4), F64(x2, 4), F64(y, 4)), 0, 1e-15);
            AssertClose(expected.Average(), One(t => F.MarginRankingLoss(t[0], t[1], t[2], margin), F64(x1, 4), F64(x2, 4), F64(y, 4)), 0, 1e-15);
        }
    }
}
