using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>
/// The PyTorch losses added beside the first set, against per-element double formulas written here from PyTorch's
/// documentation (not the composites' forms), under each reduction; plus their stability and argument errors.
/// </summary>
public class MoreLossValueTests
{
    private static readonly double[] X = [0.5, -1, 2, 0, 3, -2.5], Y = [1, 1, -1, 0.25, 3, 0.5];

    private static readonly double[] Sign = [1, -1, -1, 1, 1, -1];

    private static double[] Reduce(double[] values, string reduction) => reduction switch
    {
        "mean" => [values.Average()],
        "sum" => [values.Sum()],
        _ => values,
    };

    private static double Log1p(double e) => MoreActivationValueTests.Log1p(e);

    public static TheoryData<string> Reductions() => new("mean", "sum", "none");

    [Theory]
    [MemberData(nameof(Reductions))]
    public void SmoothL1AndHuber(string reduction)
    {
        foreach (double beta in new[] { 1.0, 0.5, 2.0, 0.0 })
        {
            var expected = X.Zip(Y, (x, y) => Math.Abs(x - y) < beta ? 0.5 * (x - y) * (x - y) / beta : Math.Abs(x - y) - 0.5 * beta).ToArray();
            AssertClose(Reduce(expected, reduction), One(t => F.SmoothL1Loss(t[0], t[1], reduction, beta), F64(X, 2, 3), F64(Y, 2, 3)), 0, 1e-15, $"smooth_l1 β={beta}");
        }
        foreach (double delta in new[] { 1.0, 0.5, 2.0 })
        {
            var expected = X.Zip(Y, (x, y) => Math.Abs(x - y) < delta ? 0.5 * (x - y) * (x - y) : delta * (Math.Abs(x - y) - 0.5 * delta)).ToArray();
            AssertClose(Reduce(expected, reduction), One(t => F.HuberLoss(t[0], t[1], reduction, delta), F64(X, 2, 3), F64(Y, 2, 3)), 0, 1e-15, $"huber δ={delta}");
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void KlDivergence(string reduction)
    {
        double[] logp = [-1.2, -0.4, -2, -0.1, -3, -0.7];
        double[] q = [0.2, 0, 0.5, 0.9, 0.05, 0.3];
        var expected = logp.Zip(q, (x, y) => y == 0 ? 0 : y * (Math.Log(y) - x)).ToArray();
        AssertClose(Reduce(expected, reduction), One(t => F.KlDivLoss(t[0], t[1], reduction), F64(logp, 2, 3), F64(q, 2, 3)), 1e-15, 1e-15, "kl");
        var logQ = q.Select(v => v == 0 ? -50 : Math.Log(v)).ToArray();
        var expectedLog = logp.Zip(logQ, (x, y) => Math.Exp(y) * (y - x)).ToArray();
        AssertClose(Reduce(expectedLog, reduction), One(t => F.KlDivLoss(t[0], t[1], reduction, logTarget: true), F64(logp, 2, 3), F64(logQ, 2, 3)), 0, 1e-14, "kl log");
    }

    [Fact]
    public void KlBatchmeanDividesTheSumByTheBatchAndZeroTargetsHaveFiniteGradients()
    {
        double[] logp = [-1.2, -0.4, -2, -0.1, -3, -0.7];
        double[] q = [0.2, 0, 0.5, 0.9, 0.05, 0.3];
        double sum = logp.Zip(q, (x, y) => y == 0 ? 0 : y * (Math.Log(y) - x)).Sum();
        AssertClose(sum / 2, One(t => F.KlDivLoss(t[0], t[1], "batchmean"), F64(logp, 2, 3), F64(q, 2, 3)), 0, 1e-15);
        var gradient = One(t => GraphDL.Autodiff.Grad(F.KlDivLoss(t[0], t[1], "sum"), [t[0]])[0], F64(logp, 2, 3), F64(q, 2, 3));
        AssertClose(q.Select(v => -v).ToArray(), gradient, 0, 0, "d/dx");
        Assert.Throws<ArgumentException>(() => One(t => F.KlDivLoss(t[0], t[1], "average"), F64(logp, 6), F64(q, 6)));
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void HingeAndSoftMargin(string reduction)
    {
        var hinge = X.Zip(Sign, (x, y) => y == 1 ? x : Math.Max(0, 1.5 - x)).ToArray();
        AssertClose(Reduce(hinge, reduction), One(t => F.HingeEmbeddingLoss(t[0], t[1], 1.5, reduction), F64(X, 2, 3), F64(Sign, 2, 3)), 0, 1e-15, "hinge");
        var soft = X.Zip(Sign, (x, y) => Log1p(Math.Exp(-y * x))).ToArray();
        AssertClose(Reduce(soft, reduction), One(t => F.SoftMarginLoss(t[0], t[1], reduction), F64(X, 2, 3), F64(Sign, 2, 3)), 0, 2e-15, "soft margin");
    }

    [Fact]
    public void SoftMarginStaysFiniteAndExactAtLargeMargins()
    {
        var result = One(t => F.SoftMarginLoss(t[0], t[1], "none"), F64([1e4, -1e4, 40], 3), F64([-1, -1, 1], 3));
        AssertClose([1e4, 0, Math.Exp(-40)], result, 0, 1e-15);
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void CosineEmbedding(string reduction)
    {
        double[] a = [1, 2, 0.5, -1, 0.5, 2, 0, 1, 0], b = [0.5, 1, 1, 1, 0.5, -2, 0, 0, 1];
        long[] labels = [1, -1, -1];
        var expected = new double[3];
        for (int n = 0; n < 3; n++)
        {
            double dot = 0, aa = 1e-12, bb = 1e-12;
            for (int d = 0; d < 3; d++)
            {
                dot += a[3 * n + d] * b[3 * n + d];
                aa += a[3 * n + d] * a[3 * n + d];
                bb += b[3 * n + d] * b[3 * n + d];
            }
            double cos = dot / Math.Sqrt(aa * bb);
            expected[n] = labels[n] == 1 ? 1 - cos : Math.Max(0, cos - 0.1);
        }
        AssertClose(Reduce(expected, reduction), One(t => F.CosineEmbeddingLoss(t[0], t[1], t[2], 0.1, reduction), F64(a, 3, 3), F64(b, 3, 3), I64(labels, 3)), 0, 1e-15, "cosine");
        AssertClose([expected[0]], One(t => F.CosineEmbeddingLoss(t[0], t[1], t[2], 0.1, reduction), F64(a[..3], 3), F64(b[..3], 3), F64([1], [])), 0, 1e-15, "single");
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void MultiMargin(string reduction)
    {
        double[] scores = [0.1, 0.75, -0.6, 0.2, 1.3, 0.2, 0.45, -1];
        long[] labels = [1, 3];
        double[] weight = [0.5, 1, 2, 3];
        foreach (var (p, margin, w) in new (int, double, double[]?)[] { (1, 1, null), (2, 0.5, null), (1, 2, weight), (2, 1, weight) })
        {
            var expected = new double[2];
            for (int n = 0; n < 2; n++)
            {
                int y = (int)labels[n];
                for (int i = 0; i < 4; i++)
                {
                    if (i != y)
                    {
                        expected[n] += (w?[y] ?? 1) * Math.Pow(Math.Max(0, margin - scores[4 * n + y] + scores[4 * n + i]), p) / 4;
                    }
                }
            }
            var result = w is null
                ? One(t => F.MultiMarginLoss(t[0], t[1], p, margin, reduction: reduction), F64(scores, 2, 4), I64(labels, 2))
                : One(t => F.MultiMarginLoss(t[0], t[1], p, margin, t[2], reduction), F64(scores, 2, 4), I64(labels, 2), F64(w, 4));
            AssertClose(Reduce(expected, reduction), result, 0, 1e-15, $"p={p} margin={margin} weighted={w is not null}");
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void TripletMargin(string reduction)
    {
        double[] a = [0.5, -1, 2, 0, 3, -2.5], p = [1, 1, -1, 0.25, 3, 0.5], n = [0.4, -0.8, 1.5, 2, -1, 0];
        static double Distance(double[] u, double[] v, int row, double norm) =>
            Math.Pow(Enumerable.Range(0, 3).Sum(d => Math.Pow(Math.Abs(u[3 * row + d] - v[3 * row + d] + 1e-6), norm)), 1 / norm);
        foreach (var (norm, margin, swap) in new[] { (2.0, 1.0, false), (1.0, 0.5, false), (3.0, 2.0, true), (2.0, 5.0, true) })
        {
            var expected = Enumerable.Range(0, 2).Select(r =>
            {
                double toNegative = Distance(a, n, r, norm);
                if (swap)
                {
                    toNegative = Math.Min(toNegative, Distance(p, n, r, norm));
                }
                return Math.Max(0, Distance(a, p, r, norm) - toNegative + margin);
            }).ToArray();
            var result = One(t => F.TripletMarginLoss(t[0], t[1], t[2], margin, norm, swap: swap, reduction: reduction), F64(a, 2, 3), F64(p, 2, 3), F64(n, 2, 3));
            AssertClose(Reduce(expected, reduction), result, 1e-15, 1e-14, $"p={norm} margin={margin} swap={swap}");
        }
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void PoissonNll(string reduction)
    {
        double[] counts = [0, 1, 2, 5, 0.5, 3];
        static double Stirling(double y) => y > 1 ? y * Math.Log(y) - y + 0.5 * Math.Log(2 * Math.PI * y) : 0;
        var logInput = X.Zip(counts, (x, y) => Math.Exp(x) - y * x).ToArray();
        AssertClose(Reduce(logInput, reduction), One(t => F.PoissonNllLoss(t[0], t[1], reduction: reduction), F64(X, 2, 3), F64(counts, 2, 3)), 0, 1e-15, "log input");
        var full = X.Zip(counts, (x, y) => Math.Exp(x) - y * x + Stirling(y)).ToArray();
        AssertClose(Reduce(full, reduction), One(t => F.PoissonNllLoss(t[0], t[1], full: true, reduction: reduction), F64(X, 2, 3), F64(counts, 2, 3)), 0, 1e-15, "full");
        double[] rates = [0.5, 1, 2, 0, 3, 0.1];
        var rate = rates.Zip(counts, (x, y) => x - y * Math.Log(x + 1e-8)).ToArray();
        AssertClose(Reduce(rate, reduction), One(t => F.PoissonNllLoss(t[0], t[1], logInput: false, reduction: reduction), F64(rates, 2, 3), F64(counts, 2, 3)), 0, 1e-15, "rate input");
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void GaussianNll(string reduction)
    {
        double[] variances = [0.5, 2, 1e-9, 1, 0.25, 3];
        var expected = Enumerable.Range(0, 6).Select(i =>
        {
            double v = Math.Max(variances[i], 1e-6);
            return 0.5 * (Math.Log(v) + (X[i] - Y[i]) * (X[i] - Y[i]) / v);
        }).ToArray();
        AssertClose(Reduce(expected, reduction), One(t => F.GaussianNllLoss(t[0], t[1], t[2], reduction: reduction), F64(X, 2, 3), F64(Y, 2, 3), F64(variances, 2, 3)), 0, 1e-15, "elementwise var");
        var full = expected.Select(v => v + 0.5 * Math.Log(2 * Math.PI)).ToArray();
        AssertClose(Reduce(full, reduction), One(t => F.GaussianNllLoss(t[0], t[1], t[2], full: true, reduction: reduction), F64(X, 2, 3), F64(Y, 2, 3), F64(variances, 2, 3)), 0, 1e-15, "full");
        var perRow = Enumerable.Range(0, 6).Select(i => 0.5 * (Math.Log(variances[i / 3 * 3 + 1]) + (X[i] - Y[i]) * (X[i] - Y[i]) / variances[i / 3 * 3 + 1])).ToArray();
        double[] rowVariances = [variances[1], variances[4]];
        AssertClose(Reduce(perRow, reduction), One(t => F.GaussianNllLoss(t[0], t[1], t[2], reduction: reduction), F64(X, 2, 3), F64(Y, 2, 3), F64(rowVariances, 2)), 0, 1e-15, "row var");
        AssertClose(Reduce(perRow, reduction), One(t => F.GaussianNllLoss(t[0], t[1], t[2], reduction: reduction), F64(X, 2, 3), F64(Y, 2, 3), F64(rowVariances, 2, 1)), 0, 1e-15, "row var [N,1]");
    }

    [Fact]
    public void GaussianNllPassesTheGradientThroughTheClampAsPyTorch()
    {
        // d/dv of ½(log v + d²/v) at the clamped v = eps, reaching var although var < eps (PyTorch clamps under no_grad).
        var gradient = One(t => GraphDL.Autodiff.Grad(F.GaussianNllLoss(t[0], t[1], t[2], reduction: "sum"), [t[2]])[0], F64([1], 1), F64([0], 1), F64([1e-9], 1));
        AssertClose(0.5 * (1 / 1e-6 - 1 / (1e-6 * 1e-6)), gradient, 0, 1e-12);
    }

    [Fact]
    public void BadShapesAndArgumentsGiveClearErrors()
    {
        var x = F64(X, 2, 3);
        Assert.Throws<ShapeException>(() => One(t => F.GaussianNllLoss(t[0], t[1], t[2]), x, x, F64([1, 1, 1], 3)));
        Assert.Throws<ShapeException>(() => One(t => F.MultiMarginLoss(t[0], t[1]), x, I64([0, 1, 2], 3)));
        Assert.Throws<ShapeException>(() => One(t => F.MultiMarginLoss(t[0], t[1], weight: t[2]), x, I64([0, 1], 2), F64([1, 1], 2)));
        Assert.Throws<ShapeException>(() => One(t => F.CosineEmbeddingLoss(t[0], t[1], t[2]), x, F64(X, 3, 2), I64([1, 1], 2)));
        Assert.Throws<ShapeException>(() => One(t => F.TripletMarginLoss(t[0], t[1], t[2]), x, x, F64(X, 6)));
        Assert.Throws<ArgumentException>(() => One(t => F.SmoothL1Loss(t[0], t[1], beta: -1), x, x));
        Assert.Throws<ArgumentException>(() => One(t => F.HuberLoss(t[0], t[1], delta: 0), x, x));
        Assert.Throws<ArgumentException>(() => One(t => F.MultiMarginLoss(t[0], t[1], p: 3), x, I64([0, 1], 2)));
        Assert.Throws<ArgumentException>(() => One(t => F.PoissonNllLoss(t[0], t[1], reduction: "avg"), x, x));
        Assert.Throws<ArgumentException>(() => new MultiMarginLoss(p: 0));
    }

    [Fact]
    public void ModulesCallTheirFunctionalForms()
    {
        var x = F64(X, 2, 3);
        var y = F64(Y, 2, 3);
        var sign = F64(Sign, 2, 3);
        var positive = F64([0.5, 2, 1, 1, 0.25, 3], 2, 3);
        (string Name, Func<Tensor[], Tensor> Module, Func<Tensor[], Tensor> Functional, HostTensor[] Inputs)[] cases =
        [
            ("SmoothL1Loss", t => new SmoothL1Loss("sum", 0.5).Forward(t[0], t[1]), t => F.SmoothL1Loss(t[0], t[1], "sum", 0.5), [x, y]),
            ("HuberLoss", t => new HuberLoss(delta: 2).Forward(t[0], t[1]), t => F.HuberLoss(t[0], t[1], delta: 2), [x, y]),
            ("KLDivLoss", t => new KLDivLoss("batchmean").Forward(t[0], t[1]), t => F.KlDivLoss(t[0], t[1], "batchmean"), [x, positive]),
            ("PoissonNLLLoss", t => new PoissonNLLLoss(full: true).Forward(t[0], t[1]), t => F.PoissonNllLoss(t[0], t[1], full: true), [x, positive]),
            ("GaussianNLLLoss", t => new GaussianNLLLoss(full: true).Forward(t[0], t[1], t[2]), t => F.GaussianNllLoss(t[0], t[1], t[2], full: true), [x, y, positive]),
            ("HingeEmbeddingLoss", t => new HingeEmbeddingLoss(2).Forward(t[0], t[1]), t => F.HingeEmbeddingLoss(t[0], t[1], 2), [x, sign]),
            ("CosineEmbeddingLoss", t => new CosineEmbeddingLoss(0.2).Forward(t[0], t[1], t[2]), t => F.CosineEmbeddingLoss(t[0], t[1], t[2], 0.2), [x, y, F64([1, -1], 2)]),
            ("SoftMarginLoss", t => new SoftMarginLoss("none").Forward(t[0], t[1]), t => F.SoftMarginLoss(t[0], t[1], "none"), [x, sign]),
            ("MultiMarginLoss", t => new MultiMarginLoss(2, 0.5, F64([1, 2, 3], 3)).Forward(t[0], t[1]),
                t => F.MultiMarginLoss(t[0], t[1], 2, 0.5, F.Constant(F64([1, 2, 3], 3))), [x, I64([2, 0], 2)]),
            ("TripletMarginLoss", t => new TripletMarginLoss(2, 1, swap: true).Forward(t[0], t[1], t[2]),
                t => F.TripletMarginLoss(t[0], t[1], t[2], 2, 1, swap: true), [x, y, positive]),
        ];
        foreach (var (name, module, functional, inputs) in cases)
        {
            AssertClose(One(functional, inputs).ToDoubleArray(), One(module, inputs), 0, 0, name);
        }
    }
}
