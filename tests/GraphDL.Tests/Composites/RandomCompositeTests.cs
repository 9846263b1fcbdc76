using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>Dropout and rrelu: Philox keys from the trace's rng inputs, determinism, scaling, evaluation mode.</summary>
public class RandomCompositeTests
{
    private static HostTensor Ones(int n) => F64(Enumerable.Repeat(1.0, n).ToArray(), n);

    [Fact]
    public void DropoutKeepsAbout1MinusPAndScalesKeptValues()
    {
        const int n = 10000;
        foreach (double p in new[] { 0.1, 0.5, 0.8 })
        {
            var graph = Trace(x => [F.Dropout(x[0], p)], Ones(n));
            Assert.Equal(["x0", "rng.seed", "rng.offset"], graph.Inputs.Select(i => i.Name));
            var y = Run(graph, [Ones(n)], seed: 1234, offset: 0)[0].ToDoubleArray();
            double scale = 1 / (1 - p);
            Assert.All(y, v => Assert.True(v == 0 || v == scale, $"{v} is neither 0 nor 1/(1-p) = {scale}"));
            double kept = y.Count(v => v != 0) / (double)n;
            double sigma = Math.Sqrt(p * (1 - p) / n);
            Assert.InRange(kept, 1 - p - 5 * sigma, 1 - p + 5 * sigma);
            Assert.InRange(y.Average(), 1 - 5 * sigma * scale, 1 + 5 * sigma * scale);  // unbiased: E[y] = x
        }
    }

    [Fact]
    public void DropoutMasksAreDeterministicInSeedAndOffset()
    {
        var x = Ones(64);
        var graph = Trace(t => [F.Dropout(t[0], 0.5)], x);
        double[] Mask(long seed, long offset) => Run(graph, [x], seed, offset)[0].ToDoubleArray();
        Assert.Equal(Mask(7, 0), Mask(7, 0));
        Assert.NotEqual(Mask(7, 0), Mask(7, 1));
        Assert.NotEqual(Mask(7, 0), Mask(8, 0));
        // The mask is the bernoulli primitive's draw under the same key, whatever x holds.
        var explicitKey = Trace(t => [F.Dropout(t[0], 0.5, t[1], t[2])], x, Scalar(7), Scalar(3));
        Assert.Equal(Mask(7, 3), Run(explicitKey, [x, Scalar(7), Scalar(3)])[0].ToDoubleArray());
    }

    [Fact]
    public void TwoDropoutsInOneGraphDrawDifferentMasks()
    {
        var x = Ones(64);
        var graph = Trace(t => [F.Dropout(t[0], 0.5), F.Dropout(t[0], 0.5)], x);
        Assert.Equal(2, graph.Inputs.Count(i => i.Name.StartsWith("rng.", StringComparison.Ordinal)));
        var outputs = Run(graph, [x], seed: 5, offset: 100);
        Assert.NotEqual(outputs[0].ToDoubleArray(), outputs[1].ToDoubleArray());
        // The second op starts where the first one's 64/4 = 16 Philox blocks end.
        var shifted = Run(Trace(t => [F.Dropout(t[0], 0.5)], x), [x], seed: 5, offset: 116)[0];
        Assert.Equal(shifted.ToDoubleArray(), outputs[1].ToDoubleArray());
    }

    [Fact]
    public void DropoutIsTheIdentityInEvalAndForP0AndZerosForP1()
    {
        var x = F64([1, -2, 3, double.NaN], 4);
        foreach (var f in new Func<Tensor, Tensor>[] { t => F.Dropout(t, 0.5, training: false), t => F.Dropout(t, 0.0) })
        {
            var graph = Trace(t => [f(t[0])], x);
            Assert.Empty(graph.Nodes);
            Assert.DoesNotContain(graph.Inputs, i => i.Name.StartsWith("rng.", StringComparison.Ordinal));
        }
        var zeros = Trace(t => [F.Dropout(t[0], 1.0)], x);
        Assert.DoesNotContain(zeros.Inputs, i => i.Name.StartsWith("rng.", StringComparison.Ordinal));
        var y = Run(zeros, [x])[0].ToDoubleArray();
        Assert.Equal([0, 0, 0], y[..3]);  // x·0, as PyTorch (NaN stays NaN)
        Assert.True(double.IsNaN(y[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trace(t => [F.Dropout(t[0], 1.5)], x));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trace(t => [F.Dropout(t[0], -0.1)], x));
    }

    [Fact]
    public void RReluDrawsOneSlopePerElementInTraining()
    {
        const int n = 2000;
        var x = F64(Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -1.0 : 2.0).ToArray(), n);
        var graph = Trace(t => [F.RRelu(t[0], training: true)], x);
        Assert.Contains(graph.Inputs, i => i.Name == "rng.seed");
        var y = Run(graph, [x], seed: 42, offset: 0)[0].ToDoubleArray();
        var slopes = y.Where((_, i) => i % 2 == 0).Select(v => -v).ToArray();
        Assert.All(y.Where((_, i) => i % 2 == 1), v => Assert.Equal(2.0, v));
        Assert.All(slopes, a => Assert.InRange(a, 1.0 / 8, 1.0 / 3));
        Assert.InRange(slopes.Average(), (1.0 / 8 + 1.0 / 3) / 2 - 0.01, (1.0 / 8 + 1.0 / 3) / 2 + 0.01);
        Assert.True(slopes.Distinct().Count() > n / 4, "slopes should differ per element");
        Assert.Equal(y, Run(graph, [x], seed: 42, offset: 0)[0].ToDoubleArray());
        Assert.NotEqual(y, Run(graph, [x], seed: 42, offset: 1)[0].ToDoubleArray());
    }

    [Fact]
    public void RReluSlopesAreLowerPlusSpanTimesTheUniformDraw()
    {
        var x = F64([-1, -2, -3, -4, 5], 5);
        var y = One(t => F.RRelu(t[0], t[1], t[2], lower: 0.1, upper: 0.3), x, Scalar(9), Scalar(2)).ToDoubleArray();
        var u = One(t => F.RandomUniform(t[1], t[2], [5], DType.F64), x, Scalar(9), Scalar(2)).ToDoubleArray();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(-(i + 1) * (u[i] * (0.3 - 0.1) + 0.1), y[i], 1e-15);
        }
        Assert.Equal(5.0, y[4]);
        Assert.Throws<ArgumentException>(() => One(t => F.RRelu(t[0], 0.5, 0.25, training: true), x));
    }

    [Fact]
    public void RReluInEvalUsesTheMeanSlopeAndNoRandomNumbers()
    {
        var x = F64([-1, 2], 2);
        var graph = Trace(t => [F.RRelu(t[0], training: false)], x);
        Assert.DoesNotContain(graph.Inputs, i => i.Name.StartsWith("rng.", StringComparison.Ordinal));
        AssertClose([-(1.0 / 8 + 1.0 / 3) / 2, 2], Run(graph, [x])[0], 0, 1e-16);
    }
}
