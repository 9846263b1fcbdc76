using GraphDL.IR;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>The nn composites against independent double computations on tiny f64 inputs.</summary>
public class FunctionalForwardTests
{
    private static double[] LayerNormReference(double[] x, int groupSize, double[]? w, double[]? b, double eps)
    {
        var y = new double[x.Length];
        for (int start = 0; start < x.Length; start += groupSize)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < groupSize; i++)
            {
                mean += x[start + i] / groupSize;
            }
            for (int i = 0; i < groupSize; i++)
            {
                variance += (x[start + i] - mean) * (x[start + i] - mean) / groupSize;
            }
            for (int i = 0; i < groupSize; i++)
            {
                y[start + i] = (x[start + i] - mean) / Math.Sqrt(variance + eps) * (w?[i] ?? 1) + (b?[i] ?? 0);
            }
        }
        return y;
    }

    [Fact]
    public void LayerNormOverTheLastTwoDimsWithAffine()
    {
        var x = Random(1, 24, 3);
        var w = Random(2, 12);
        var b = Random(3, 12);
        var y = Run(null, a => [F.LayerNorm(a[0], [3, 4], a[1], a[2])], F64(x, 2, 3, 4), F64(w, 3, 4), F64(b, 3, 4))[0];
        AssertClose(LayerNormReference(x, 12, w, b, 1e-5), y);
    }

    [Fact]
    public void LayerNormOverTheLastDimWithoutAffineAndACustomEps()
    {
        var x = Random(4, 24);
        var y = Run(null, a => [F.LayerNorm(a[0], [4], eps: 0.1)], F64(x, 2, 3, 4))[0];
        AssertClose(LayerNormReference(x, 4, null, null, 0.1), y);
    }

    [Fact]
    public void LayerNormRejectsAShapeThatIsNotTrailing()
    {
        var e = Assert.Throws<ShapeException>(() => Run(null, a => [F.LayerNorm(a[0], [3])], F64(Random(0, 12), 3, 4)));
        Assert.Contains("normalized shape [3]", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Per-channel batch statistics of x [N, C, S] (S spatial positions): mean, biased and unbiased variance.</summary>
    private static (double[] Mean, double[] Biased, double[] Unbiased) BatchStats(double[] x, int n, int c, int s)
    {
        var mean = new double[c];
        var biased = new double[c];
        var unbiased = new double[c];
        int count = n * s;
        for (int ch = 0; ch < c; ch++)
        {
            var values = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, s).Select(j => x[(i * c + ch) * s + j])).ToArray();
            mean[ch] = values.Average();
            double ss = values.Sum(v => (v - mean[ch]) * (v - mean[ch]));
            biased[ch] = ss / count;
            unbiased[ch] = ss / (count - 1);
        }
        return (mean, biased, unbiased);
    }

    private static double[] Normalize(double[] x, int n, int c, int s, double[] mean, double[] variance, double[] w, double[] b, double eps)
    {
        var y = new double[x.Length];
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int j = 0; j < s; j++)
                {
                    int k = (i * c + ch) * s + j;
                    y[k] = (x[k] - mean[ch]) / Math.Sqrt(variance[ch] + eps) * w[ch] + b[ch];
                }
            }
        }
        return y;
    }

    [Theory]
    [InlineData(new[] { 4, 3 })]
    [InlineData(new[] { 2, 3, 2, 2 })]
    [InlineData(new[] { 3, 2, 5 })]
    public void BatchNormTrainingUsesBatchStatisticsAndUpdatesRunningOnesWithTheUnbiasedVariance(int[] shape)
    {
        int n = shape[0], c = shape[1], s = shape.Skip(2).Aggregate(1, (p, d) => p * d);
        var x = Random(5, n * c * s, 2).Select(v => v + 1).ToArray();
        double[] runningMean = Random(6, c), runningVar = Random(7, c).Select(v => 1 + v * v).ToArray();
        double[] w = Random(8, c), b = Random(9, c);
        var results = Run(null, a =>
        {
            var (y, m, v) = F.BatchNorm(a[0], a[1], a[2], a[3], a[4], training: true, momentum: 0.3, eps: 1e-3);
            return [y, m, v];
        }, F64(x, shape), F64(runningMean, c), F64(runningVar, c), F64(w, c), F64(b, c));
        var (mean, biased, unbiased) = BatchStats(x, n, c, s);
        AssertClose(Normalize(x, n, c, s, mean, biased, w, b, 1e-3), results[0]);
        AssertClose(runningMean.Select((r, i) => 0.7 * r + 0.3 * mean[i]).ToArray(), results[1]);
        AssertClose(runningVar.Select((r, i) => 0.7 * r + 0.3 * unbiased[i]).ToArray(), results[2]);
    }

    [Fact]
    public void BatchNormEvaluationUsesTheRunningStatisticsAndKeepsThem()
    {
        int n = 3, c = 2, s = 4;
        var x = Random(10, n * c * s);
        double[] runningMean = [0.5, -1], runningVar = [2, 0.25], w = [1.5, -0.5], b = [0.1, 0.2];
        var results = Run(null, a =>
        {
            var (y, m, v) = F.BatchNorm(a[0], a[1], a[2], a[3], a[4]);
            return [y, m, v];
        }, F64(x, n, c, 2, 2), F64(runningMean, c), F64(runningVar, c), F64(w, c), F64(b, c));
        AssertClose(Normalize(x, n, c, s, runningMean, runningVar, w, b, 1e-5), results[0]);
        AssertClose(runningMean, results[1]);
        AssertClose(runningVar, results[2]);
    }

    [Fact]
    public void BatchNormTrainingNeedsMoreThanOneValuePerChannel()
    {
        var e = Assert.Throws<ShapeException>(() => Run(null, a => [F.BatchNorm(a[0], a[1], a[2], training: true).Output],
            F64([1, 2], 1, 2), F64([0, 0], 2), F64([1, 1], 2)));
        Assert.Contains("more than 1 value per channel", e.Message, StringComparison.Ordinal);
    }

    /// <summary>softmax(q·kᵀ/√E + mask)·v for one batch entry; allowed(i, j) false masks a score.</summary>
    private static double[] AttentionReference(double[] q, double[] k, double[] v, int l, int s, int e, int ev, Func<int, int, bool> allowed, double[]? additive = null)
    {
        var output = new double[l * ev];
        for (int i = 0; i < l; i++)
        {
            var scores = new double[s];
            for (int j = 0; j < s; j++)
            {
                double dot = 0;
                for (int d = 0; d < e; d++)
                {
                    dot += q[i * e + d] * k[j * e + d];
                }
                scores[j] = allowed(i, j) ? dot / Math.Sqrt(e) + (additive?[i * s + j] ?? 0) : double.NegativeInfinity;
            }
            double max = scores.Max();
            var p = scores.Select(t => Math.Exp(t - max)).ToArray();
            double total = p.Sum();
            for (int d = 0; d < ev; d++)
            {
                output[i * ev + d] = Enumerable.Range(0, s).Sum(j => p[j] / total * v[j * ev + d]);
            }
        }
        return output;
    }

    private static double[] Batch(double[] values, int index, int size) => values.Skip(index * size).Take(size).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AttentionMatchesTheDefinition(bool causal)
    {
        const int batch = 2, l = 3, s = 5, e = 4, ev = 2;
        double[] q = Random(11, batch * l * e), k = Random(12, batch * s * e), v = Random(13, batch * s * ev);
        var y = Run(null, a => [F.ScaledDotProductAttention(a[0], a[1], a[2], causal)],
            F64(q, batch, l, e), F64(k, batch, s, e), F64(v, batch, s, ev))[0];
        var expected = Enumerable.Range(0, batch).SelectMany(n => AttentionReference(
            Batch(q, n, l * e), Batch(k, n, s * e), Batch(v, n, s * ev), l, s, e, ev, (i, j) => !causal || j <= i)).ToArray();
        AssertClose(expected, y);
    }

    [Fact]
    public void AttentionWithBoolAndFloatMasks()
    {
        const int l = 2, s = 3, e = 2;
        double[] q = Random(14, l * e), k = Random(15, s * e), v = Random(16, s * e);
        bool[] keep = [true, false, true, false, true, true];
        double[] bias = Random(17, l * s);
        var results = Run(null, a => [F.ScaledDotProductAttention(a[0], a[1], a[2], mask: a[3]), F.ScaledDotProductAttention(a[0], a[1], a[2], mask: a[4])],
            F64(q, l, e), F64(k, s, e), F64(v, s, e), HostTensor.FromBools(new Shape(l, s), keep), F64(bias, l, s));
        AssertClose(AttentionReference(q, k, v, l, s, e, e, (i, j) => keep[i * s + j]), results[0]);
        AssertClose(AttentionReference(q, k, v, l, s, e, e, (_, _) => true, bias), results[1]);
    }

    [Fact]
    public void AttentionGraphMasksWithIotaAndWhere()
    {
        var graph = Trace.Function("attention", (q, k, v) => F.ScaledDotProductAttention(q, k, v, causal: true),
            TensorSpec.Input(DType.F32, 3, 2), TensorSpec.Input(DType.F32, 3, 2), TensorSpec.Input(DType.F32, 3, 2));
        var ops = graph.Nodes.Select(n => n.Op.Name).ToArray();
        Assert.Equal(2, ops.Count(o => o == "iota"));
        Assert.Contains("ge", ops);
        Assert.Contains("where", ops);
        Assert.Contains("-inf", graph.ToString(), StringComparison.Ordinal);
    }

    // Cells: B = 2, I = 3, H = 2.
    private const int B = 2, I = 3, H = 2;

    private static double[] Add(double[] a, double[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    [Theory]
    [InlineData("tanh")]
    [InlineData("relu")]
    public void RnnCellMatchesTheDefinition(string nonlinearity)
    {
        double[] x = Random(20, B * I), h = Random(21, B * H), wih = Random(22, H * I), whh = Random(23, H * H), bih = Random(24, H), bhh = Random(25, H);
        var y = Run(null, a => [F.RnnCell(a[0], a[1], a[2], a[3], a[4], a[5], nonlinearity)],
            F64(x, B, I), F64(h, B, H), F64(wih, H, I), F64(whh, H, H), F64(bih, H), F64(bhh, H))[0];
        var pre = Add(Linear(x, B, wih, H, bih), Linear(h, B, whh, H, bhh));
        AssertClose(pre.Select(p => nonlinearity == "tanh" ? Math.Tanh(p) : Math.Max(p, 0)).ToArray(), y);
    }

    internal static (double[] H, double[] C) LstmReference(double[] x, double[] h, double[] c, double[] wih, double[] whh, double[]? bih, double[]? bhh, int batch, int hidden)
    {
        var gates = Add(Linear(x, batch, wih, 4 * hidden, bih), Linear(h, batch, whh, 4 * hidden, bhh));
        var hNext = new double[batch * hidden];
        var cNext = new double[batch * hidden];
        for (int r = 0; r < batch; r++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double G(int g) => gates[r * 4 * hidden + g * hidden + j];
                double i = Sigmoid(G(0)), f = Sigmoid(G(1)), gg = Math.Tanh(G(2)), o = Sigmoid(G(3));
                cNext[r * hidden + j] = f * c[r * hidden + j] + i * gg;
                hNext[r * hidden + j] = o * Math.Tanh(cNext[r * hidden + j]);
            }
        }
        return (hNext, cNext);
    }

    internal static double[] GruReference(double[] x, double[] h, double[] wih, double[] whh, double[]? bih, double[]? bhh, int batch, int hidden)
    {
        var gi = Linear(x, batch, wih, 3 * hidden, bih);
        var gh = Linear(h, batch, whh, 3 * hidden, bhh);
        var next = new double[batch * hidden];
        for (int r = 0; r < batch; r++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double I(int g) => gi[r * 3 * hidden + g * hidden + j];
                double Hh(int g) => gh[r * 3 * hidden + g * hidden + j];
                double rg = Sigmoid(I(0) + Hh(0)), z = Sigmoid(I(1) + Hh(1)), n = Math.Tanh(I(2) + rg * Hh(2));
                next[r * hidden + j] = (1 - z) * n + z * h[r * hidden + j];
            }
        }
        return next;
    }

    [Fact]
    public void LstmCellMatchesTheDefinitionWithGatesIfgo()
    {
        double[] x = Random(30, B * I), h = Random(31, B * H), c = Random(32, B * H);
        double[] wih = Random(33, 4 * H * I), whh = Random(34, 4 * H * H), bih = Random(35, 4 * H), bhh = Random(36, 4 * H);
        var results = Run(null, a =>
        {
            var (hn, cn) = F.LstmCell(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            return [hn, cn];
        }, F64(x, B, I), F64(h, B, H), F64(c, B, H), F64(wih, 4 * H, I), F64(whh, 4 * H, H), F64(bih, 4 * H), F64(bhh, 4 * H));
        var (hExpected, cExpected) = LstmReference(x, h, c, wih, whh, bih, bhh, B, H);
        AssertClose(hExpected, results[0]);
        AssertClose(cExpected, results[1]);
    }

    [Fact]
    public void GruCellMatchesTheDefinitionWithResetInsideTheCandidate()
    {
        double[] x = Random(40, B * I), h = Random(41, B * H);
        double[] wih = Random(42, 3 * H * I), whh = Random(43, 3 * H * H), bih = Random(44, 3 * H), bhh = Random(45, 3 * H);
        var y = Run(null, a => [F.GruCell(a[0], a[1], a[2], a[3], a[4], a[5])],
            F64(x, B, I), F64(h, B, H), F64(wih, 3 * H, I), F64(whh, 3 * H, H), F64(bih, 3 * H), F64(bhh, 3 * H))[0];
        AssertClose(GruReference(x, h, wih, whh, bih, bhh, B, H), y);
    }

    [Fact]
    public void CellsTakeUnbatchedInputAndNoBiases()
    {
        double[] x = Random(50, I), h = Random(51, H), wih = Random(52, 3 * H * I), whh = Random(53, 3 * H * H);
        var y = Run(null, a => [F.GruCell(a[0], a[1], a[2], a[3])], F64(x, I), F64(h, H), F64(wih, 3 * H, I), F64(whh, 3 * H, H))[0];
        Assert.Equal([H], y.Shape.ToArray());
        AssertClose(GruReference(x, h, wih, whh, null, null, 1, H), y);
    }
}
