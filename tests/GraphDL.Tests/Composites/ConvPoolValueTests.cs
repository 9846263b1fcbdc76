using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>conv2d with bias and per-axis options, and the pooling composites, against naive loops in double.</summary>
public class ConvPoolValueTests
{
    private static double[] Seeded(int seed, int count, double lo = -1, double hi = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();
    }

    /// <summary>Naive conv2d: stride [sh, sw], padding [top, bottom, left, right], dilation [dh, dw], groups, optional bias.</summary>
    private static double[] NaiveConv(double[] x, int[] xs, double[] w, int[] ws, double[]? bias, int[] stride, int[] pad, int[] dil, int groups, out int[] shape)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], ci = ws[1], kh = ws[2], kw = ws[3];
        int oh = (h + pad[0] + pad[1] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
        int ow = (wd + pad[2] + pad[3] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
        shape = [n, o, oh, ow];
        var result = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++)
        for (int oc = 0; oc < o; oc++)
        for (int y = 0; y < oh; y++)
        for (int xx = 0; xx < ow; xx++)
        {
            int g = oc / (o / groups);
            double sum = bias?[oc] ?? 0;
            for (int cc = 0; cc < ci; cc++)
            for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
            {
                int iy = y * stride[0] + i * dil[0] - pad[0], ix = xx * stride[1] + j * dil[1] - pad[2];
                if (iy >= 0 && iy < h && ix >= 0 && ix < wd)
                {
                    sum += x[((b * c + g * ci + cc) * h + iy) * wd + ix] * w[((oc * ci + cc) * kh + i) * kw + j];
                }
            }
            result[((b * o + oc) * oh + y) * ow + xx] = sum;
        }
        return result;
    }

    [Fact]
    public void Conv2dWithoutBiasKeepsItsSignature()
    {
        double[] x = Seeded(1, 2 * 2 * 4 * 4), w = Seeded(2, 3 * 2 * 3 * 3);
        var expected = NaiveConv(x, [2, 2, 4, 4], w, [3, 2, 3, 3], null, [1, 1], [1, 1, 1, 1], [1, 1], 1, out var shape);
        var result = One(t => F.Conv2d(t[0], t[1], padding: 1), F64(x, 2, 2, 4, 4), F64(w, 3, 2, 3, 3));
        Assert.Equal(shape, result.Shape.ToArray());
        AssertClose(expected, result, 1e-14, 1e-13);
    }

    [Fact]
    public void Conv2dAddsTheBiasPerOutputChannel()
    {
        double[] x = Seeded(3, 1 * 4 * 5 * 5), w = Seeded(4, 4 * 2 * 3 * 3), bias = [10, -20, 30, -40];
        var expected = NaiveConv(x, [1, 4, 5, 5], w, [4, 2, 3, 3], bias, [2, 2], [1, 1, 1, 1], [1, 1], 2, out var shape);
        var result = One(t => F.Conv2d(t[0], t[1], t[2], stride: 2, padding: 1, groups: 2), F64(x, 1, 4, 5, 5), F64(w, 4, 2, 3, 3), F64(bias, 4));
        Assert.Equal(shape, result.Shape.ToArray());
        AssertClose(expected, result, 1e-13, 1e-13);
        var noBias = One(t => F.Conv2d(t[0], t[1], null, stride: 2, padding: 1, groups: 2), F64(x, 1, 4, 5, 5), F64(w, 4, 2, 3, 3));
        AssertClose(NaiveConv(x, [1, 4, 5, 5], w, [4, 2, 3, 3], null, [2, 2], [1, 1, 1, 1], [1, 1], 2, out _), noBias, 1e-14, 1e-13);
    }

    [Theory]
    [InlineData(new[] { 2, 1 }, new[] { 1, 0, 0, 1 }, new[] { 1, 1 })]
    [InlineData(new[] { 1, 2 }, new[] { 1, 2 }, new[] { 1, 2 })]
    [InlineData(new[] { 3, 1 }, new[] { 0, 2, 1, 0 }, new[] { 2, 1 })]
    public void Conv2dTakesPerAxisStridePaddingAndDilation(int[] stride, int[] padding, int[] dilation)
    {
        double[] x = Seeded(5, 2 * 2 * 6 * 5), w = Seeded(6, 3 * 2 * 2 * 3), bias = [0.5, -1, 2];
        int[] pads = padding.Length == 2 ? [padding[0], padding[0], padding[1], padding[1]] : padding;
        var expected = NaiveConv(x, [2, 2, 6, 5], w, [3, 2, 2, 3], bias, stride, pads, dilation, 1, out var shape);
        var result = One(t => F.Conv2d(t[0], t[1], t[2], stride, padding, dilation), F64(x, 2, 2, 6, 5), F64(w, 3, 2, 2, 3), F64(bias, 3));
        Assert.Equal(shape, result.Shape.ToArray());
        AssertClose(expected, result, 1e-14, 1e-13);
    }

    [Fact]
    public void Conv2dRejectsABiasOfTheWrongShapeAndBadLists()
    {
        var x = F64(Seeded(7, 16), 1, 1, 4, 4);
        var w = F64(Seeded(8, 18), 2, 1, 3, 3);
        Assert.Throws<ShapeException>(() => One(t => F.Conv2d(t[0], t[1], t[2]), x, w, F64([1, 2, 3], 3)));
        Assert.Throws<ArgumentException>(() => One(t => F.Conv2d(t[0], t[1], null, stride: [1, 1], padding: [1, 1, 1]), x, w));
        Assert.Throws<ArgumentException>(() => One(t => F.Conv2d(t[0], t[1], null, stride: [1]), x, w));
    }

    /// <summary>Naive pooling over NCHW: each window's values inside the input (padding positions are skipped), reduced by <paramref name="reduce"/>.</summary>
    private static double[] NaivePool(double[] x, int[] s, int k, int stride, int pad, Func<List<double>, double> reduce, out int[] shape)
    {
        int n = s[0], c = s[1], h = s[2], w = s[3];
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        shape = [n, c, oh, ow];
        var result = new double[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++)
        for (int y = 0; y < oh; y++)
        for (int xx = 0; xx < ow; xx++)
        {
            var window = new List<double>();
            for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                int iy = y * stride + i - pad, ix = xx * stride + j - pad;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                {
                    window.Add(x[(plane * h + iy) * w + ix]);
                }
            }
            result[(plane * oh + y) * ow + xx] = reduce(window);
        }
        return result;
    }

    private static double StableLogSumExp(List<double> values)
    {
        double m = values.Max();
        return m + Math.Log(values.Sum(v => Math.Exp(v - m)));
    }

    public static TheoryData<int, int, int> Windows() => new() { { 2, 2, 0 }, { 3, 1, 1 }, { 3, 2, 1 }, { 2, 1, 0 } };

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxAndAveragePooling(int kernel, int stride, int padding)
    {
        double[] x = Seeded(9, 2 * 2 * 5 * 5, -3, 3);
        int[] s = [2, 2, 5, 5];
        var input = F64(x, s);
        var max = NaivePool(x, s, kernel, stride, padding, w => w.Max(), out var shape);
        var result = One(t => F.MaxPool2d(t[0], kernel, stride, padding), input);
        Assert.Equal(shape, result.Shape.ToArray());
        AssertClose(max, result, 0, 0, "max");
        var include = NaivePool(x, s, kernel, stride, padding, w => w.Sum() / (kernel * kernel), out _);
        AssertClose(include, One(t => F.AvgPool2d(t[0], kernel, stride, padding), input), 1e-15, 1e-14, "avg include pad");
        var exclude = NaivePool(x, s, kernel, stride, padding, w => w.Average(), out _);
        AssertClose(exclude, One(t => F.AvgPool2d(t[0], kernel, stride, padding, countIncludePad: false), input), 1e-15, 1e-14, "avg exclude pad");
        var lse = NaivePool(x, s, kernel, stride, padding, StableLogSumExp, out _);
        AssertClose(lse, One(t => F.LogSumExpPool2d(t[0], kernel, stride, padding), input), 1e-15, 1e-14, "logsumexp");
    }

    [Fact]
    public void AveragePoolingCountsPaddingByDefault()
    {
        // A 2×2 input, kernel 2, stride 1, padding 1: the corner window holds one value, divided by 4 (or by 1).
        var input = F64([1, 2, 3, 4], 1, 1, 2, 2);
        var result = One(t => F.AvgPool2d(t[0], 2, 1, 1), input);
        AssertClose([0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1], result, 0, 0);
        AssertClose([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4], One(t => F.AvgPool2d(t[0], 2, 1, 1, countIncludePad: false), input), 0, 1e-15);
    }

    [Theory]
    [InlineData(1.0, 2, 2)]
    [InlineData(2.0, 2, 2)]
    [InlineData(3.0, 3, 1)]
    [InlineData(1.5, 2, 1)]
    public void PowerAveragePooling(double p, int kernel, int stride)
    {
        double[] x = Seeded(10, 1 * 2 * 4 * 4, 0.1, 2);
        var expected = NaivePool(x, [1, 2, 4, 4], kernel, stride, 0, w => Math.Pow(w.Sum(v => Math.Pow(v, p)), 1 / p), out var shape);
        var result = One(t => F.LpPool2d(t[0], p, kernel, stride), F64(x, 1, 2, 4, 4));
        Assert.Equal(shape, result.Shape.ToArray());
        AssertClose(expected, result, 1e-15, 1e-14);
        Assert.Throws<ArgumentOutOfRangeException>(() => One(t => F.LpPool2d(t[0], 0, 2), F64(x, 1, 2, 4, 4)));
    }

    [Fact]
    public void LogSumExpPoolingIsStablePerWindow()
    {
        // Overlapping windows whose maxima differ by 2e4: a shared shift would underflow some windows to −inf.
        double[] x = [1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4, 5, 6, -1e4, 7, 8, -1e4, -1e4, -1e4];
        var expected = NaivePool(x, [1, 1, 4, 4], 2, 1, 0, StableLogSumExp, out _);
        Assert.All(expected, v => Assert.True(double.IsFinite(v)));
        AssertClose(expected, One(t => F.LogSumExpPool2d(t[0], 2, 1), F64(x, 1, 1, 4, 4)), 0, 1e-15, "f64");
        var f32 = One(t => F.LogSumExpPool2d(t[0], 2, 1), F32(x, 1, 1, 4, 4));
        Assert.Equal(DType.F32, f32.DType);
        AssertClose(expected.Select(v => (double)(float)v).ToArray(), f32, 1e-5, 1e-6, "f32");
        // It lies between max pooling and max pooling + log(kernel²).
        var max = NaivePool(x, [1, 1, 4, 4], 2, 1, 0, w => w.Max(), out _);
        Assert.All(expected.Zip(max), p => Assert.InRange(p.First, p.Second, p.Second + Math.Log(4)));
    }
}
