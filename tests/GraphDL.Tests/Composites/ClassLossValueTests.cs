using System.Runtime.CompilerServices;
using GraphDL.IR;
using GraphDL.Runtime;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>
/// cross_entropy and nll_loss with class weights, ignore_index, probability targets and [N, C, d...] inputs, against
/// PyTorch's formulas written here in double (per element, and "mean" as Σ ℓ / Σ w[t] over the targets not ignored),
/// on the interpreter and the compiled CPU backend; and their argument errors, which name the caller's line.
/// </summary>
public class ClassLossValueTests
{
    private static readonly double[] Logits = [1, 2, 3, 0.5, 1, -1, -2, 0.25, 0, 0, 4, -3];

    private static readonly long[] Targets = [2, -100, 1, 0];

    private static readonly double[] Weight = [0.3, 1.5, 2];

    /// <summary>Seeded values uniform in [−3, 3).</summary>
    private static double[] Values(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => 6 * random.NextDouble() - 3).ToArray();
    }

    /// <summary>Row (i, j) of logits [N, C, inner]: the C class scores.</summary>
    private static double[] Row(double[] logits, int c, int inner, int i, int j) =>
        Enumerable.Range(0, c).Select(k => logits[(i * c + k) * inner + j]).ToArray();

    private static double Lse(double[] row)
    {
        double max = row.Max();
        return max + Math.Log(row.Sum(v => Math.Exp(v - max)));
    }

    /// <summary>
    /// PyTorch's cross_entropy with class-index targets, per element of [N, inner]: 0 where t = ignoreIndex, else
    /// −(1 − ε)·w[t]·log p[t] − (ε/C)·Σ_k w[k]·log p[k]; and the "mean" denominator Σ w[t] over the targets kept.
    /// With <paramref name="logProbabilities"/> the inputs are log p already and ε must be 0 (nll_loss).
    /// </summary>
    private static (double[] Losses, double Denominator) ClassReference(double[] logits, int n, int c, int inner, long[] targets,
        double[]? weight, long ignoreIndex, double epsilon, bool logProbabilities = false)
    {
        var losses = new double[n * inner];
        double denominator = 0;
        double W(long k) => weight?[k] ?? 1;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < inner; j++)
            {
                long t = targets[i * inner + j];
                if (t == ignoreIndex)
                {
                    continue;
                }
                var row = Row(logits, c, inner, i, j);
                double lse = logProbabilities ? 0 : Lse(row);
                double smooth = -Enumerable.Range(0, c).Sum(k => W(k) * (row[k] - lse));
                losses[i * inner + j] = -(1 - epsilon) * W(t) * (row[t] - lse) + epsilon / c * smooth;
                denominator += W(t);
            }
        }
        return (losses, denominator);
    }

    /// <summary>PyTorch's cross_entropy with probability targets q: −Σ_k w[k]·q'[k]·log p[k], q' = (1 − ε)·q + ε/C.</summary>
    private static double[] ProbabilityReference(double[] logits, int n, int c, int inner, double[] q, double[]? weight, double epsilon)
    {
        var losses = new double[n * inner];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < inner; j++)
            {
                var row = Row(logits, c, inner, i, j);
                var target = Row(q, c, inner, i, j);
                double lse = Lse(row);
                losses[i * inner + j] = -Enumerable.Range(0, c).Sum(k => (weight?[k] ?? 1) * ((1 - epsilon) * target[k] + epsilon / c) * (row[k] - lse));
            }
        }
        return losses;
    }

    private static double[] Reduce(double[] losses, double denominator, string reduction) => reduction switch
    {
        "mean" => [losses.Sum() / denominator],
        "sum" => [losses.Sum()],
        _ => losses,
    };

    public static TheoryData<string, double, bool> Cases()
    {
        var data = new TheoryData<string, double, bool>();
        foreach (var reduction in new[] { "mean", "sum", "none" })
        {
            foreach (double epsilon in new[] { 0.0, 0.25 })
            {
                data.Add(reduction, epsilon, false);
                data.Add(reduction, epsilon, true);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CrossEntropyWithWeightsAndIgnoredTargets(string reduction, double epsilon, bool weighted)
    {
        var weight = weighted ? Weight : null;
        var (losses, denominator) = ClassReference(Logits, 4, 3, 1, Targets, weight, -100, epsilon);
        var inputs = weighted ? new[] { F64(Logits, 4, 3), I64(Targets, 4), F64(Weight, 3) } : [F64(Logits, 4, 3), I64(Targets, 4)];
        var actual = One(x => F.CrossEntropy(x[0], x[1], epsilon, reduction, weighted ? x[2] : null), inputs);
        AssertClose(Reduce(losses, denominator, reduction), actual, 1e-15, 1e-14, $"{reduction} ε={epsilon} weighted={weighted}");
        // A non-default ignoreIndex (a real class) is excluded the same way; -100 is then an ordinary (invalid) class, so use 1.
        long[] withOne = [2, 1, 1, 0];
        var (others, otherDenominator) = ClassReference(Logits, 4, 3, 1, withOne, weight, 1, epsilon);
        var ignoringOne = One(x => F.CrossEntropy(x[0], x[1], epsilon, reduction, weighted ? x[2] : null, ignoreIndex: 1),
            weighted ? [F64(Logits, 4, 3), I32(withOne, 4), F64(Weight, 3)] : [F64(Logits, 4, 3), I32(withOne, 4)]);
        AssertClose(Reduce(others, otherDenominator, reduction), ignoringOne, 1e-15, 1e-14, "ignoreIndex 1");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CrossEntropyOverSpatialDimensions(string reduction, double epsilon, bool weighted)
    {
        var logits = Values(1, 2 * 3 * 2 * 2);
        long[] targets = [0, 2, 1, -100, 1, 1, 0, 2];
        var weight = weighted ? Weight : null;
        var (losses, denominator) = ClassReference(logits, 2, 3, 4, targets, weight, -100, epsilon);
        var inputs = weighted ? new[] { F64(logits, 2, 3, 2, 2), I64(targets, 2, 2, 2), F64(Weight, 3) } : [F64(logits, 2, 3, 2, 2), I64(targets, 2, 2, 2)];
        var actual = One(x => F.CrossEntropy(x[0], x[1], epsilon, reduction, weighted ? x[2] : null), inputs);
        Assert.Equal(reduction == "none" ? new Shape(2, 2, 2) : Shape.Scalar, actual.Shape);
        AssertClose(Reduce(losses, denominator, reduction), actual, 1e-15, 1e-14, $"{reduction} ε={epsilon} weighted={weighted}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CrossEntropyWithProbabilityTargets(string reduction, double epsilon, bool weighted)
    {
        var logits = Values(2, 2 * 3 * 2);
        var raw = Values(3, 2 * 3 * 2).Select(Math.Exp).ToArray();
        var q = new double[raw.Length];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                double total = Enumerable.Range(0, 3).Sum(k => raw[(i * 3 + k) * 2 + j]);
                for (int k = 0; k < 3; k++)
                {
                    q[(i * 3 + k) * 2 + j] = raw[(i * 3 + k) * 2 + j] / total;
                }
            }
        }
        var weight = weighted ? Weight : null;
        var losses = ProbabilityReference(logits, 2, 3, 2, q, weight, epsilon);
        var inputs = weighted ? new[] { F64(logits, 2, 3, 2), F64(q, 2, 3, 2), F64(Weight, 3) } : [F64(logits, 2, 3, 2), F64(q, 2, 3, 2)];
        var actual = One(x => F.CrossEntropy(x[0], x[1], epsilon, reduction, weighted ? x[2] : null), inputs);
        // "mean" divides by the number of elements N·d1, whatever the weights.
        AssertClose(Reduce(losses, losses.Length, reduction), actual, 1e-15, 1e-14, $"{reduction} ε={epsilon} weighted={weighted}");
    }

    [Fact]
    public void OneHotProbabilitiesGiveTheClassIndexLossWithoutWeights()
    {
        long[] targets = [2, 0, 1, 0];
        var oneHot = targets.SelectMany(t => Enumerable.Range(0, 3).Select(k => k == t ? 1.0 : 0.0)).ToArray();
        foreach (double epsilon in new[] { 0.0, 0.1 })
        {
            var byIndex = One(x => F.CrossEntropy(x[0], x[1], epsilon, "none"), F64(Logits, 4, 3), I64(targets, 4)).ToDoubleArray();
            AssertClose(byIndex, One(x => F.CrossEntropy(x[0], x[1], epsilon, "none"), F64(Logits, 4, 3), F64(oneHot, 4, 3)), 1e-15, 1e-14);
        }
    }

    [Fact]
    public void UnbatchedScoresTakeAScalarTarget()
    {
        double[] row = [0.5, -1, 2];
        var (losses, _) = ClassReference(row, 1, 3, 1, [1], Weight, -100, 0.2);
        var none = One(x => F.CrossEntropy(x[0], x[1], 0.2, "none", x[2]), F64(row, 3), I64([1]), F64(Weight, 3));
        Assert.Equal(Shape.Scalar, none.Shape);
        AssertClose(losses, none, 0, 1e-14);
        AssertClose(losses[0] / Weight[1], One(x => F.CrossEntropy(x[0], x[1], 0.2, weight: x[2]), F64(row, 3), I64([1]), F64(Weight, 3)), 0, 1e-14);
        var probabilities = One(x => F.CrossEntropy(x[0], x[1], reduction: "none"), F64(row, 3), F64([0.2, 0.3, 0.5], 3));
        AssertClose(ProbabilityReference(row, 1, 3, 1, [0.2, 0.3, 0.5], null, 0), probabilities, 0, 1e-14);
        AssertClose(-row[2] + Lse(row), One(x => F.NllLoss(F.LogSoftmax(x[0]), x[1]), F64(row, 3), I64([2])), 0, 1e-14);
    }

    [Fact]
    public void EveryTargetIgnoredGivesNaNForTheMeanAsPyTorch()
    {
        long[] ignored = [-100, -100, -100, -100];
        Assert.True(double.IsNaN(One(x => F.CrossEntropy(x[0], x[1]), F64(Logits, 4, 3), I64(ignored, 4)).GetDouble(0)));
        AssertClose(0, One(x => F.CrossEntropy(x[0], x[1], 0.1, "sum"), F64(Logits, 4, 3), I64(ignored, 4)), 0, 0);
        AssertClose(new double[4], One(x => F.NllLoss(x[0], x[1], "none"), F64(Logits, 4, 3), I64(ignored, 4)), 0, 0);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("sum")]
    [InlineData("none")]
    public void NllLossWithWeightsIgnoredTargetsAndSpatialDimensions(string reduction)
    {
        var logp = Values(4, 2 * 3 * 4).Select(v => v - 3.5).ToArray();
        long[] targets = [0, 2, -100, 1, 1, 1, 0, 2];
        foreach (var weight in new[] { null, Weight })
        {
            var (losses, denominator) = ClassReference(logp, 2, 3, 4, targets, weight, -100, 0, logProbabilities: true);
            var inputs = weight is null ? new[] { F64(logp, 2, 3, 4), I64(targets, 2, 4) } : [F64(logp, 2, 3, 4), I64(targets, 2, 4), F64(Weight, 3)];
            var actual = One(x => F.NllLoss(x[0], x[1], reduction, weight is null ? null : x[2]), inputs);
            AssertClose(Reduce(losses, denominator, reduction), actual, 1e-15, 1e-14, $"{reduction} weighted={weight is not null}");
        }
        long[] flat = [2, 1, 0, 1];
        var (flatLosses, flatDenominator) = ClassReference(Logits, 4, 3, 1, flat, Weight, 1, 0, logProbabilities: true);
        AssertClose(Reduce(flatLosses, flatDenominator, reduction),
            One(x => F.NllLoss(x[0], x[1], reduction, x[2], ignoreIndex: 1), F64(Logits, 4, 3), I64(flat, 4), F64(Weight, 3)), 0, 1e-14, "ignoreIndex 1");
    }

    /// <summary>The same losses compiled for the CPU (f64 and f32) agree with the interpreter and the double reference.</summary>
    [Fact]
    public void CompiledBackendAgrees()
    {
        var logits = Values(5, 2 * 3 * 2 * 2);
        long[] targets = [0, 2, 1, -100, 1, 1, 0, 2];
        var q = Values(6, 24).Select(v => (v + 3) / 18).ToArray();
        var (losses, denominator) = ClassReference(logits, 2, 3, 4, targets, Weight, -100, 0.1);
        var probabilityLosses = ProbabilityReference(logits, 2, 3, 4, q, Weight, 0.1);
        foreach (var dtype in new[] { DType.F64, DType.F32 })
        {
            HostTensor Float(double[] v, params int[] shape) => HostTensor.FromDoubles(dtype, new Shape(shape), v);
            double tolerance = dtype == DType.F64 ? 1e-13 : 2e-6;
            Func<Tensor[], Tensor> mean = x => F.CrossEntropy(x[0], x[1], 0.1, weight: x[2]);
            HostTensor[] inputs = [Float(logits, 2, 3, 2, 2), I64(targets, 2, 2, 2), Float(Weight, 3)];
            AssertClose(losses.Sum() / denominator, Compiled(mean, inputs), tolerance, tolerance, $"{dtype} class mean");
            Func<Tensor[], Tensor> none = x => F.CrossEntropy(x[0], x[1], 0.1, "none", x[2]);
            AssertClose(losses, Compiled(none, inputs), tolerance, tolerance, $"{dtype} class none");
            Func<Tensor[], Tensor> probabilities = x => F.CrossEntropy(x[0], x[1], 0.1, weight: x[2]);
            HostTensor[] probabilityInputs = [Float(logits, 2, 3, 2, 2), Float(q, 2, 3, 2, 2), Float(Weight, 3)];
            AssertClose(probabilityLosses.Average(), Compiled(probabilities, probabilityInputs), tolerance, tolerance, $"{dtype} probabilities");
            Func<Tensor[], Tensor> nll = x => F.NllLoss(F.LogSoftmax(x[0], 1), x[1], "sum", x[2]);
            var (nllLosses, _) = ClassReference(logits, 2, 3, 4, targets, Weight, -100, 0);
            AssertClose(nllLosses.Sum(), Compiled(nll, inputs), tolerance, tolerance, $"{dtype} nll");
        }
    }

    /// <summary>Traces <paramref name="f"/> and runs it compiled by the CPU backend.</summary>
    internal static HostTensor Compiled(Func<Tensor[], Tensor> f, params HostTensor[] inputs)
    {
        using var program = new CpuBackend().Compile(Trace(x => [f(x)], inputs));
        return program.Run(inputs)[0];
    }

    private static void AssertErrorAtThisLine(Func<Tensor[], Tensor> f, HostTensor[] inputs, string words, [CallerLineNumber] int line = 0)
    {
        var error = Assert.Throws<ShapeException>(() => One(f, inputs));
        Assert.Equal("ClassLossValueTests.cs", error.Loc.File);
        Assert.Equal(line, error.Loc.Line);
        Assert.Contains(words, error.Message);
    }

    [Fact]
    public void BadCombinationsNameTheCallersLine()
    {
        var logits = F64(Logits, 4, 3);
        var labels = I64([2, 0, 1, 0], 4);
        AssertErrorAtThisLine(x => F.CrossEntropy(x[0], x[1], weight: x[2]), [logits, labels, F64([1, 2], 2)], "weight must be a f64[3]");
        AssertErrorAtThisLine(x => F.CrossEntropy(x[0], x[1], weight: x[2]), [logits, labels, F32([1, 2, 3], 3)], "weight must be a f64[3]");
        AssertErrorAtThisLine(x => F.NllLoss(x[0], x[1], weight: x[2]), [logits, labels, F64([1, 2, 3, 4], 4)], "weight must be a f64[3]");
        AssertErrorAtThisLine(x => F.CrossEntropy(x[0], x[1], ignoreIndex: 0), [logits, F64(new double[12], 4, 3)], "ignore_index (0) does not apply to probability targets");
        AssertErrorAtThisLine(x => F.CrossEntropy(x[0], x[1]), [logits, F32(new double[12], 4, 3)], "probability targets must be a float tensor of the logits' shape and dtype");
        AssertErrorAtThisLine(x => F.CrossEntropy(x[0], x[1]), [logits, I64(new long[12], 4, 3)], "probability targets must be a float tensor");
        AssertErrorAtThisLine(x => F.CrossEntropy(x[0], x[1]), [logits, F64([2, 0, 1, 0], 4)], "integer class targets [N, d1, ...]");
        AssertErrorAtThisLine(x => F.CrossEntropy(x[0], x[1]), [F64(new double[24], 2, 3, 4), I64([0, 1], 2)], "integer class targets [N, d1, ...]");
        AssertErrorAtThisLine(x => F.NllLoss(x[0], x[1]), [logits, I64([0, 1, 2], 3)], "integer class targets [N, d1, ...]");
        AssertErrorAtThisLine(x => F.CrossEntropy(x[0], x[1], weight: x[2]), [F64(new double[24], 2, 3, 4), F64(new double[24], 2, 3, 4), F64([1, 2, 3, 4], 4)], "weight must be a f64[3]");
        Assert.Throws<ArgumentOutOfRangeException>(() => One(x => F.CrossEntropy(x[0], x[1], labelSmoothing: 1.5), logits, labels));
    }
}
