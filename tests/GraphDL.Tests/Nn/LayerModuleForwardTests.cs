using GraphDL.IR;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>
/// Conv1d, ConvTranspose2d, GroupNorm, InstanceNorm2d, AdaptiveAvgPool2d and Residual modules (f64, tiny sizes) against
/// naive double loops written from PyTorch's definitions, run on the interpreter.
/// </summary>
public class LayerModuleForwardTests
{
    /// <summary>Direct 1-D convolution of x [N, C, L] by w [O, C/groups, k] with zero padding, plus bias.</summary>
    private static double[] Conv1dReference(double[] x, int n, int c, int l, double[] w, int o, int k, double[]? bias, int stride, int padding, int dilation, int groups)
    {
        int ci = c / groups, ol = (l + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
        var y = new double[n * o * ol];
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                int g = oc / (o / groups);
                for (int t = 0; t < ol; t++)
                {
                    double sum = bias?[oc] ?? 0;
                    for (int cc = 0; cc < ci; cc++)
                    {
                        for (int i = 0; i < k; i++)
                        {
                            int position = t * stride - padding + i * dilation;
                            if (position >= 0 && position < l)
                            {
                                sum += x[(b * c + g * ci + cc) * l + position] * w[(oc * ci + cc) * k + i];
                            }
                        }
                    }
                    y[(b * o + oc) * ol + t] = sum;
                }
            }
        }
        return y;
    }

    [Theory]
    [InlineData(1, 0, 1, 1, true)]
    [InlineData(2, 2, 1, 2, true)]
    [InlineData(1, 1, 2, 1, false)]
    public void Conv1dMatchesADirectConvolution(int stride, int padding, int dilation, int groups, bool bias)
    {
        var conv = new Conv1d(2, 4, 3, stride, padding, dilation, groups, bias, DType.F64);
        Assert.Equal([4, 2 / groups, 3], conv.StateDict()["weight"].Shape.ToArray());
        var x = RandomF64(400, 2, 2, 7);
        var expected = Conv1dReference(x.ToDoubleArray(), 2, 2, 7, Values(conv, "weight"), 4, 3, bias ? Values(conv, "bias") : null, stride, padding, dilation, groups);
        AssertClose(expected, Forward(conv, x));
    }

    [Fact]
    public void Conv1dTakesUnbatchedInput()
    {
        var conv = new Conv1d(2, 3, 2, dtype: DType.F64);
        var x = RandomF64(401, 2, 5);
        var y = Forward(conv, x);
        Assert.Equal([3, 4], y.Shape.ToArray());
        AssertClose(Conv1dReference(x.ToDoubleArray(), 1, 2, 5, Values(conv, "weight"), 3, 2, Values(conv, "bias"), 1, 0, 1, 1), y);
    }

    /// <summary>
    /// Transposed convolution as its definition: each input element adds x·w[c, o, i, j] at (h·s − p + i·d, w·s − p + j·d)
    /// of output channel g·O/G + o, positions outside [0, OH) × [0, OW) dropped.
    /// </summary>
    private static double[] ConvTransposeReference(double[] x, int[] xs, double[] w, int[] ws, double[]? bias, int s, int p, int op, int groups, int d, out int[] shape)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], opg = ws[1], kh = ws[2], kw = ws[3], o = opg * groups, ipg = c / groups;
        int oh = (h - 1) * s - 2 * p + d * (kh - 1) + op + 1, ow = (wd - 1) * s - 2 * p + d * (kw - 1) + op + 1;
        shape = [n, o, oh, ow];
        var y = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                for (int i = 0; i < oh * ow; i++)
                {
                    y[(b * o + oc) * oh * ow + i] = bias?[oc] ?? 0;
                }
            }
            for (int ci = 0; ci < c; ci++)
            {
                int g = ci / ipg;
                for (int iy = 0; iy < h; iy++)
                {
                    for (int ix = 0; ix < wd; ix++)
                    {
                        double v = x[((b * c + ci) * h + iy) * wd + ix];
                        for (int og = 0; og < opg; og++)
                        {
                            for (int i = 0; i < kh; i++)
                            {
                                for (int j = 0; j < kw; j++)
                                {
                                    int yy = iy * s - p + i * d, xx = ix * s - p + j * d;
                                    if (yy >= 0 && yy < oh && xx >= 0 && xx < ow)
                                    {
                                        y[((b * o + g * opg + og) * oh + yy) * ow + xx] += v * w[((ci * opg + og) * kh + i) * kw + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    [Theory]
    [InlineData(1, 0, 0, 1, 1, true)]
    [InlineData(2, 0, 0, 1, 1, true)]
    [InlineData(2, 1, 1, 1, 1, false)]
    [InlineData(3, 1, 2, 2, 1, true)]
    [InlineData(1, 2, 0, 1, 2, true)]
    [InlineData(2, 3, 1, 2, 2, true)]
    [InlineData(3, 2, 0, 1, 1, false)]
    public void ConvTranspose2dScattersEachInputThroughTheKernel(int stride, int padding, int outputPadding, int groups, int dilation, bool bias)
    {
        var conv = new ConvTranspose2d(2, 4, (3, 2), stride, padding, outputPadding, groups, bias, dilation, DType.F64);
        int[] xs = [2, 2, 4, 3];
        var x = RandomF64(402, xs);
        var expected = ConvTransposeReference(x.ToDoubleArray(), xs, Values(conv, "weight"), [2, 4 / groups, 3, 2], bias ? Values(conv, "bias") : null,
            stride, padding, outputPadding, groups, dilation, out var shape);
        var y = Forward(conv, x);
        Assert.Equal(shape, y.Shape.ToArray());
        AssertClose(expected, y);
    }

    [Fact]
    public void ConvTranspose2dUndoesTheShapeOfAStridedConv2d()
    {
        // The usual decoder pairing: conv2d(k 3, s 2, p 1) takes 8 → 4; the transpose with output_padding 1 gives 8 back.
        var down = new Conv2d(1, 2, 3, stride: 2, padding: 1, dtype: DType.F64);
        var up = new ConvTranspose2d(2, 1, 3, stride: 2, padding: 1, outputPadding: 1, dtype: DType.F64);
        var model = new Sequential(down, up);
        Assert.Equal([1, 1, 8, 8], Forward(model, RandomF64(403, 1, 1, 8, 8)).Shape.ToArray());
    }

    [Fact]
    public void ConvTranspose2dRejectsAnOutputPaddingNotBelowStrideOrDilation()
    {
        Assert.Throws<ArgumentException>(() => new ConvTranspose2d(1, 1, 3, stride: 2, outputPadding: 2));
        var ex = Assert.ThrowsAny<Exception>(() => Run(null, a => [F.ConvTranspose2d(a[0], a[1], stride: 1, outputPadding: 1)], RandomF64(404, 1, 1, 3, 3), RandomF64(405, 1, 1, 2, 2)));
        Assert.Contains("output_padding", ex.Message);
    }

    /// <summary>Per sample and group: mean and biased variance over the group's channels and positions.</summary>
    private static double[] GroupNormReference(double[] x, int n, int c, int spatial, int groups, double[]? w, double[]? b, double eps)
    {
        var y = new double[x.Length];
        int perGroup = c / groups * spatial;
        for (int s = 0; s < n; s++)
        {
            for (int g = 0; g < groups; g++)
            {
                int start = (s * c + g * (c / groups)) * spatial;
                var values = x.Skip(start).Take(perGroup).ToArray();
                double mean = values.Average(), variance = values.Sum(v => (v - mean) * (v - mean)) / perGroup;
                for (int i = 0; i < perGroup; i++)
                {
                    int channel = g * (c / groups) + i / spatial;
                    y[start + i] = (values[i] - mean) / Math.Sqrt(variance + eps) * (w?[channel] ?? 1) + (b?[channel] ?? 0);
                }
            }
        }
        return y;
    }

    /// <summary>Loads seeded values into every parameter and buffer, so that the affine parameters are not ones and zeros.</summary>
    private static void Randomize(Module model, int seed)
    {
        model.LoadStateDict(model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.DType.IsFloat()
            ? HostTensor.FromDoubles(kv.Value.DType, kv.Value.Shape, Random(seed++, (int)kv.Value.ElementCount).Select(v => kv.Key.EndsWith("var") ? 0.5 + v * v : v).ToArray())
            : kv.Value));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(1, false)]
    [InlineData(6, true)]
    public void GroupNormNormalizesEachGroupOfEachSample(int groups, bool affine)
    {
        var norm = new GroupNorm(groups, 6, eps: 1e-3, affine: affine, dtype: DType.F64);
        Randomize(norm, 410);
        var x = RandomF64(411, 2, 6, 2, 3);
        var expected = GroupNormReference(x.ToDoubleArray(), 2, 6, 6, groups, affine ? Values(norm, "weight") : null, affine ? Values(norm, "bias") : null, 1e-3);
        AssertClose(expected, Forward(norm, x));
        AssertClose(GroupNormReference(x.ToDoubleArray(), 12, 1, 6, 1, null, null, 1e-3), Forward(new GroupNorm(1, 1, 1e-3, false, DType.F64), x.Reshape(new Shape(12, 1, 6))));
    }

    [Fact]
    public void InstanceNorm2dNormalizesEachChannelOfEachSampleAndTakesUnbatchedInput()
    {
        var x = RandomF64(420, 2, 3, 2, 2);
        var plain = new InstanceNorm2d(3, dtype: DType.F64);
        Assert.Empty(plain.StateDict());
        AssertClose(GroupNormReference(x.ToDoubleArray(), 2, 3, 4, 3, null, null, 1e-5), Forward(plain, x));
        plain.Eval();
        AssertClose(GroupNormReference(x.ToDoubleArray(), 2, 3, 4, 3, null, null, 1e-5), Forward(plain, x));

        var affine = new InstanceNorm2d(3, affine: true, dtype: DType.F64);
        Randomize(affine, 421);
        AssertClose(GroupNormReference(x.ToDoubleArray(), 2, 3, 4, 3, Values(affine, "weight"), Values(affine, "bias"), 1e-5), Forward(affine, x));
        var single = HostTensor.FromDoubles(DType.F64, new Shape(3, 2, 2), x.ToDoubleArray().Take(12).ToArray());
        var y = Forward(affine, single);
        Assert.Equal([3, 2, 2], y.Shape.ToArray());
        AssertClose(GroupNormReference(single.ToDoubleArray(), 1, 3, 4, 3, Values(affine, "weight"), Values(affine, "bias"), 1e-5), y);
    }

    [Fact]
    public void InstanceNormWithRunningStatisticsUpdatesThemFromTheInstanceAverages()
    {
        const int n = 2, c = 2, spatial = 3;
        var x = RandomF64(422, n, c, spatial);
        double[] runningMean = [0.5, -1], runningVar = [2, 0.25];
        var results = Run(null, a =>
        {
            var (y, mean, variance) = F.InstanceNorm(a[0], a[1], a[2], null, null, useInputStats: true, momentum: 0.3);
            var eval = F.InstanceNorm(a[0], a[1], a[2], null, null, useInputStats: false).Output;
            return [y, mean, variance, eval];
        }, x, F64(runningMean, c), F64(runningVar, c));
        var values = x.ToDoubleArray();
        AssertClose(GroupNormReference(values, n, c, spatial, c, null, null, 1e-5), results[0]);
        // PyTorch: each instance's mean and unbiased variance, averaged over the batch, enter with the momentum.
        var expectedMean = new double[c];
        var expectedVar = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            double meanSum = 0, varSum = 0;
            for (int s = 0; s < n; s++)
            {
                var instance = values.Skip((s * c + ch) * spatial).Take(spatial).ToArray();
                double mean = instance.Average();
                meanSum += mean;
                varSum += instance.Sum(v => (v - mean) * (v - mean)) / (spatial - 1);
            }
            expectedMean[ch] = 0.7 * runningMean[ch] + 0.3 * meanSum / n;
            expectedVar[ch] = 0.7 * runningVar[ch] + 0.3 * varSum / n;
        }
        AssertClose(expectedMean, results[1], 1e-13);
        AssertClose(expectedVar, results[2], 1e-13);
        AssertClose(values.Select((v, i) => (v - runningMean[i / spatial % c]) / Math.Sqrt(runningVar[i / spatial % c] + 1e-5)).ToArray(), results[3]);
    }

    [Fact]
    public void InstanceNorm2dModuleTracksRunningStatisticsInACompiledStepAndUsesThemInEval()
    {
        var norm = new InstanceNorm2d(2, momentum: 0.2, affine: true, trackRunningStats: true, dtype: DType.F64);
        var x = RandomF64(423, 2, 2, 2, 2);
        var target = RandomF64(424, 2, 2, 2, 2);
        using (var step = Compiler.TrainStep(norm, (m, a, b) => (m.Forward(a) * b).Sum(), new Sgd(0.1), x, target))
        {
            step.Run(x, target);
        }
        var values = x.ToDoubleArray();
        double[] expectedMean = new double[2], expectedVar = new double[2];
        for (int c = 0; c < 2; c++)
        {
            for (int s = 0; s < 2; s++)
            {
                var instance = values.Skip((s * 2 + c) * 4).Take(4).ToArray();
                double mean = instance.Average();
                expectedMean[c] += 0.2 * mean / 2;
                expectedVar[c] += 0.2 * instance.Sum(v => (v - mean) * (v - mean)) / 3 / 2;
            }
            expectedVar[c] += 0.8;
        }
        AssertClose(expectedMean, norm.StateDict()["running_mean"], 1e-13);
        AssertClose(expectedVar, norm.StateDict()["running_var"], 1e-13);
        Assert.Equal(1, norm.StateDict()["num_batches_tracked"].GetInt64(0));

        norm.Eval();
        double[] w = Values(norm, "weight"), b = Values(norm, "bias");
        using var inference = Compiler.Inference(norm, x);
        var y = inference.Run(x);
        AssertClose(values.Select((v, i) => (v - expectedMean[i / 4 % 2]) / Math.Sqrt(expectedVar[i / 4 % 2] + 1e-5) * w[i / 4 % 2] + b[i / 4 % 2]).ToArray(), y, 1e-12);
    }

    /// <summary>PyTorch's adaptive rule, in doubles: window [⌊i·H/OH⌋, ⌈(i + 1)·H/OH⌉) on each axis.</summary>
    private static double[] AdaptiveReference(double[] x, int planes, int h, int w, int oh, int ow)
    {
        var y = new double[planes * oh * ow];
        for (int p = 0; p < planes; p++)
        {
            for (int i = 0; i < oh; i++)
            {
                int h0 = (int)Math.Floor((double)i * h / oh), h1 = (int)Math.Ceiling((double)(i + 1) * h / oh);
                for (int j = 0; j < ow; j++)
                {
                    int w0 = (int)Math.Floor((double)j * w / ow), w1 = (int)Math.Ceiling((double)(j + 1) * w / ow);
                    double sum = 0;
                    for (int a = h0; a < h1; a++)
                    {
                        for (int b = w0; b < w1; b++)
                        {
                            sum += x[(p * h + a) * w + b];
                        }
                    }
                    y[(p * oh + i) * ow + j] = sum / ((h1 - h0) * (w1 - w0));
                }
            }
        }
        return y;
    }

    [Theory]
    [InlineData(5, 7, 3, 3)]
    [InlineData(6, 4, 2, 4)]
    [InlineData(3, 2, 5, 3)]
    [InlineData(7, 5, 1, 1)]
    [InlineData(10, 9, 4, 6)]
    public void AdaptiveAvgPool2dAveragesPyTorchsWindows(int h, int w, int oh, int ow)
    {
        var x = RandomF64(430, 2, 3, h, w);
        var y = Forward(new AdaptiveAvgPool2d((oh, ow)), x);
        Assert.Equal([2, 3, oh, ow], y.Shape.ToArray());
        AssertClose(AdaptiveReference(x.ToDoubleArray(), 6, h, w, oh, ow), y, 1e-13);
    }

    [Fact]
    public void AdaptiveAvgPool2dKeepsANullSizeAndTakesUnbatchedInput()
    {
        var x = RandomF64(431, 2, 5, 4);
        var y = Forward(new AdaptiveAvgPool2d((null, 3)), x);
        Assert.Equal([2, 5, 3], y.Shape.ToArray());
        AssertClose(AdaptiveReference(x.ToDoubleArray(), 2, 5, 4, 5, 3), y, 1e-13);
        var square = Forward(new AdaptiveAvgPool2d(2), x);
        AssertClose(AdaptiveReference(x.ToDoubleArray(), 2, 5, 4, 2, 2), square, 1e-13);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveAvgPool2d(0));
    }

    [Fact]
    public void ResidualAddsTheInputToItsInnerModule()
    {
        var residual = new Residual(new Linear(3, 3, dtype: DType.F64));
        Assert.Equal(["inner.weight", "inner.bias"], residual.StateDict().Keys);
        var x = Random(440, 2 * 3);
        var inner = Linear(x, 2, Values(residual, "inner.weight"), 3, Values(residual, "inner.bias"));
        AssertClose(x.Zip(inner, (a, b) => a + b).ToArray(), Forward(residual, F64(x, 2, 3)));
        var ex = Assert.ThrowsAny<Exception>(() => Forward(new Residual(new Linear(3, 2, dtype: DType.F64)), F64(x, 2, 3)));
        Assert.Contains("keep the shape", ex.Message);
    }

    public static TheoryData<string> BadCalls => new(["conv1d-rank", "conv1d-channels", "conv_transpose2d-weight", "group_norm-groups", "group_norm-weight",
        "instance_norm-one-position", "adaptive_avg_pool2d-rank", "residual-shape", "instance_norm2d-channels"]);

    /// <summary>Each bad call fails while tracing, with a shape error that names the op and the test's own line.</summary>
    [Theory]
    [MemberData(nameof(BadCalls))]
    public void BadShapesAreTypedErrorsAtTheCallersLine(string call)
    {
        Func<Tensor[], Tensor> f = call switch
        {
            "conv1d-rank" => a => F.Conv1d(a[0].Reshape(1, 2, 2, 3), a[1].Reshape(2, 2, 3)),
            "conv1d-channels" => a => F.Conv1d(a[0].Reshape(3, 4), a[1].Reshape(2, 2, 3)),
            "conv_transpose2d-weight" => a => F.ConvTranspose2d(a[0].Reshape(1, 3, 2, 2), a[1].Reshape(2, 1, 2, 3)),
            "group_norm-groups" => a => F.GroupNorm(a[0].Reshape(2, 6), 4),
            "group_norm-weight" => a => F.GroupNorm(a[0].Reshape(2, 6), 2, a[1].Reshape(12)),
            "instance_norm-one-position" => a => F.InstanceNorm(a[0].Reshape(2, 6, 1, 1)),
            "adaptive_avg_pool2d-rank" => a => F.AdaptiveAvgPool2d(a[0].Reshape(12), 2),
            "residual-shape" => a => new Residual(new Flatten(0)).Forward(a[0].Reshape(2, 6)),
            "instance_norm2d-channels" => a => new InstanceNorm2d(3).Forward(a[0].Reshape(1, 2, 2, 3)),
            _ => throw new ArgumentException(call),
        };
        var ex = Assert.Throws<ShapeException>(() => Run(null, a => [f(a)], RandomF64(450, 12), RandomF64(451, 12)));
        Assert.Contains(nameof(LayerModuleForwardTests) + ".cs", ex.Message);
    }
}
