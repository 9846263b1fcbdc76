using GraphDL.IR;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>Module forward passes against double references (f64 modules, tiny sizes).</summary>
public class ModuleForwardTests
{
    /// <summary>Direct convolution of x [N, C, H, W] by w [O, C/groups, kh, kw] with zero padding, plus bias.</summary>
    private static double[] ConvReference(double[] x, int[] xs, double[] w, int[] ws, double[]? bias, int stride, int padding, int dilation, int groups)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], ci = ws[1], kh = ws[2], kw = ws[3];
        int oh = (h + 2 * padding - dilation * (kh - 1) - 1) / stride + 1, ow = (wd + 2 * padding - dilation * (kw - 1) - 1) / stride + 1;
        var y = new double[n * o * oh * ow];
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                int g = oc / (o / groups);
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = bias?[oc] ?? 0;
                        for (int cc = 0; cc < ci; cc++)
                        {
                            for (int p = 0; p < kh; p++)
                            {
                                for (int q = 0; q < kw; q++)
                                {
                                    int yy = i * stride - padding + p * dilation, xx = j * stride - padding + q * dilation;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd)
                                    {
                                        sum += x[((b * c + g * ci + cc) * h + yy) * wd + xx] * w[((oc * ci + cc) * kh + p) * kw + q];
                                    }
                                }
                            }
                        }
                        y[((b * o + oc) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return y;
    }

    [Theory]
    [InlineData(1, 1, 1, 1, true)]
    [InlineData(2, 0, 1, 2, true)]
    [InlineData(1, 2, 2, 1, false)]
    public void Conv2dAddsItsBiasPerOutputChannel(int stride, int padding, int dilation, int groups, bool bias)
    {
        var conv = new Conv2d(2, 4, (2, 3), stride, padding, dilation, groups, bias, DType.F64);
        int[] xs = [2, 2, 5, 6];
        var x = RandomF64(60, xs);
        var y = Forward(conv, x);
        var expected = ConvReference(x.ToDoubleArray(), xs, Values(conv, "weight"), [4, 2 / groups, 2, 3], bias ? Values(conv, "bias") : null, stride, padding, dilation, groups);
        AssertClose(expected, y);
    }

    private static double[] PoolReference(double[] x, int n, int c, int h, int w, int k, int s, int pad, bool max, bool countIncludePad)
    {
        int oh = (h + 2 * pad - k) / s + 1, ow = (w + 2 * pad - k) / s + 1;
        var y = new double[n * c * oh * ow];
        for (int b = 0; b < n * c; b++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    int inside = 0;
                    for (int p = 0; p < k; p++)
                    {
                        for (int q = 0; q < k; q++)
                        {
                            int yy = i * s - pad + p, xx = j * s - pad + q;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w)
                            {
                                double v = x[(b * h + yy) * w + xx];
                                acc = max ? Math.Max(acc, v) : acc + v;
                                inside++;
                            }
                        }
                    }
                    y[(b * oh + i) * ow + j] = max ? acc : acc / (countIncludePad ? k * k : inside);
                }
            }
        }
        return y;
    }

    [Theory]
    [InlineData(2, null, 0)]
    [InlineData(3, 2, 1)]
    public void MaxPool2dTakesWindowMaxima(int kernel, int? stride, int padding)
    {
        var x = RandomF64(61, 1, 2, 5, 5);
        var y = Forward(new MaxPool2d(kernel, stride, padding), x);
        AssertClose(PoolReference(x.ToDoubleArray(), 1, 2, 5, 5, kernel, stride ?? kernel, padding, max: true, false), y);
    }

    [Theory]
    [InlineData(2, null, 0, true)]
    [InlineData(3, 2, 1, true)]
    [InlineData(3, 2, 1, false)]
    [InlineData(2, 1, 1, false)]
    public void AvgPool2dDividesByTheWindowOrByThePositionsInside(int kernel, int? stride, int padding, bool countIncludePad)
    {
        var x = RandomF64(62, 2, 1, 5, 4);
        var y = Forward(new AvgPool2d(kernel, stride, padding, countIncludePad), x);
        AssertClose(PoolReference(x.ToDoubleArray(), 2, 1, 5, 4, kernel, stride ?? kernel, padding, max: false, countIncludePad), y);
    }

    public static TheoryData<string> Activations => new(["LeakyReLU", "ELU", "GELU", "GELU(tanh)", "SiLU", "Sigmoid", "Tanh", "Softplus", "Softplus(2, 1)", "ReLU"]);

    private static (Module Module, Func<double, double> Reference) Activation(string name) => name switch
    {
        "LeakyReLU" => (new LeakyReLU(0.1), x => x > 0 ? x : 0.1 * x),
        "ELU" => (new ELU(0.5), x => x > 0 ? x : 0.5 * (Math.Exp(x) - 1)),
        "GELU" => (new GELU(), x => x / 2 * (1 + Erf(x / Math.Sqrt(2)))),
        "GELU(tanh)" => (new GELU("tanh"), x => x / 2 * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        "SiLU" => (new SiLU(), x => x * NnTestKit.Sigmoid(x)),
        "Sigmoid" => (new Sigmoid(), NnTestKit.Sigmoid),
        "Tanh" => (new Tanh(), Math.Tanh),
        "Softplus" => (new Softplus(), x => x > 20 ? x : Math.Log(1 + Math.Exp(x))),
        "Softplus(2, 1)" => (new Softplus(2, 1), x => 2 * x > 1 ? x : Math.Log(1 + Math.Exp(2 * x)) / 2),
        "ReLU" => (new ReLU(), x => Math.Max(x, 0)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void ActivationsMatchTheirFormulas(string name)
    {
        var (module, reference) = Activation(name);
        double[] values = [.. Random(63, 14, 3), 0, 25, -30, 0.25, -0.25, 1e-3];
        var y = Forward(module, F64(values, 4, 5));
        AssertClose(values.Select(reference).ToArray(), y, 1e-12);
    }

    [Fact]
    public void EmbeddingLooksUpRowsForIndicesOfAnyShape()
    {
        var embedding = new Embedding(5, 3, dtype: DType.F64);
        var table = Values(embedding, "weight");
        long[] indices = [4, 0, 2, 2, 1, 4];
        var y = Forward(embedding, HostTensor.FromInt64s(DType.I64, new Shape(2, 3), indices));
        Assert.Equal([2, 3, 3], y.Shape.ToArray());
        AssertClose(indices.SelectMany(i => table.Skip((int)i * 3).Take(3)).ToArray(), y, 0);
        var y32 = Forward(embedding, HostTensor.FromInt64s(DType.I32, new Shape(2), [3, 3]));
        AssertClose(table.Skip(9).Take(3).Concat(table.Skip(9).Take(3)).ToArray(), y32, 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LstmModuleRunsTheCellOverTheSequence(bool batchFirst)
    {
        const int l = 3, n = 2, inputSize = 2, hidden = 3;
        var lstm = new LSTM(inputSize, hidden, batchFirst: batchFirst, dtype: DType.F64);
        var x = Random(70, l * n * inputSize);
        double[] h0 = Random(71, n * hidden), c0 = Random(72, n * hidden);
        int[] shape = batchFirst ? [n, l, inputSize] : [l, n, inputSize];
        var results = Run(lstm, a =>
        {
            var (output, (h, c)) = lstm.Forward(a[0], (a[1], a[2]));
            return [output, h, c];
        }, F64(x, shape), F64(h0, 1, n, hidden), F64(c0, 1, n, hidden));
        double[] hh = h0, cc = c0;
        var expected = new double[l * n * hidden];
        for (int t = 0; t < l; t++)
        {
            var xt = Step(x, t, l, n, inputSize, batchFirst);
            (hh, cc) = FunctionalForwardTests.LstmReference(xt, hh, cc, Values(lstm, "weight_ih_l0"), Values(lstm, "weight_hh_l0"),
                Values(lstm, "bias_ih_l0"), Values(lstm, "bias_hh_l0"), n, hidden);
            Place(expected, hh, t, l, n, hidden, batchFirst);
        }
        Assert.Equal(shape[..2].Append(hidden), results[0].Shape.ToArray());
        AssertClose(expected, results[0]);
        AssertClose(hh, results[1]);
        AssertClose(cc, results[2]);
        Assert.Equal([1, n, hidden], results[1].Shape.ToArray());
    }

    [Fact]
    public void GruModuleStartsFromZerosAndTakesUnbatchedInput()
    {
        const int l = 4, inputSize = 3, hidden = 2;
        var gru = new GRU(inputSize, hidden, dtype: DType.F64);
        var x = Random(73, l * inputSize);
        var results = Run(gru, a =>
        {
            var (output, h) = gru.Forward(a[0], null);
            return [output, h];
        }, F64(x, l, inputSize));
        var hh = new double[hidden];
        var expected = new List<double>();
        for (int t = 0; t < l; t++)
        {
            hh = FunctionalForwardTests.GruReference(x.Skip(t * inputSize).Take(inputSize).ToArray(), hh, Values(gru, "weight_ih_l0"), Values(gru, "weight_hh_l0"),
                Values(gru, "bias_ih_l0"), Values(gru, "bias_hh_l0"), 1, hidden);
            expected.AddRange(hh);
        }
        AssertClose([.. expected], results[0]);
        Assert.Equal([1, hidden], results[1].Shape.ToArray());
        AssertClose(hh, results[1]);
    }

    [Fact]
    public void RnnModuleWithReluAndBatchFirst()
    {
        const int l = 3, n = 2, inputSize = 2, hidden = 2;
        var rnn = new RNN(inputSize, hidden, "relu", bias: false, batchFirst: true, dtype: DType.F64);
        var x = Random(74, n * l * inputSize);
        var y = Forward(rnn, F64(x, n, l, inputSize));
        var hh = new double[n * hidden];
        var expected = new double[n * l * hidden];
        for (int t = 0; t < l; t++)
        {
            var pre = Linear(Step(x, t, l, n, inputSize, true), n, Values(rnn, "weight_ih_l0"), hidden)
                .Zip(Linear(hh, n, Values(rnn, "weight_hh_l0"), hidden), (a, b) => Math.Max(a + b, 0)).ToArray();
            hh = pre;
            Place(expected, hh, t, l, n, hidden, true);
        }
        AssertClose(expected, y);
    }

    [Fact]
    public void CellModulesStepOnceFromTheGivenOrAZeroState()
    {
        const int n = 2, inputSize = 3, hidden = 2;
        var lstm = new LSTMCell(inputSize, hidden, dtype: DType.F64);
        var gru = new GRUCell(inputSize, hidden, bias: false, dtype: DType.F64);
        var rnn = new RNNCell(inputSize, hidden, nonlinearity: "relu", dtype: DType.F64);
        var x = Random(75, n * inputSize);
        double[] h = Random(76, n * hidden), c = Random(77, n * hidden);
        var model = new Sequential(lstm, gru, rnn);
        var results = Run(model, a =>
        {
            var (hl, cl) = lstm.Forward(a[0], (a[1], a[2]));
            return [hl, cl, lstm.Forward(a[0]), gru.Forward(a[0], a[1]), rnn.Forward(a[0])];
        }, F64(x, n, inputSize), F64(h, n, hidden), F64(c, n, hidden));
        // Inside the Sequential the cells' parameters are m0.*, m1.* and m2.*.
        double[] L(string name) => Values(model, "m0." + name);
        double[] G(string name) => Values(model, "m1." + name);
        double[] R(string name) => Values(model, "m2." + name);
        var zeros = new double[n * hidden];
        var (hExpected, cExpected) = FunctionalForwardTests.LstmReference(x, h, c, L("weight_ih"), L("weight_hh"), L("bias_ih"), L("bias_hh"), n, hidden);
        AssertClose(hExpected, results[0]);
        AssertClose(cExpected, results[1]);
        AssertClose(FunctionalForwardTests.LstmReference(x, zeros, zeros, L("weight_ih"), L("weight_hh"), L("bias_ih"), L("bias_hh"), n, hidden).H, results[2]);
        AssertClose(FunctionalForwardTests.GruReference(x, h, G("weight_ih"), G("weight_hh"), null, null, n, hidden), results[3]);
        var pre = Linear(x, n, R("weight_ih"), hidden, R("bias_ih")).Zip(R("bias_hh").Concat(R("bias_hh")), (p, b) => Math.Max(p + b, 0));
        AssertClose([.. pre], results[4]);
    }

    /// <summary>x_t [n, size] from a sequence stored [l, n, size] or [n, l, size].</summary>
    private static double[] Step(double[] x, int t, int l, int n, int size, bool batchFirst) =>
        Enumerable.Range(0, n).SelectMany(b => Enumerable.Range(0, size).Select(i => x[(batchFirst ? b * l + t : t * n + b) * size + i])).ToArray();

    private static void Place(double[] output, double[] h, int t, int l, int n, int size, bool batchFirst)
    {
        for (int b = 0; b < n; b++)
        {
            for (int i = 0; i < size; i++)
            {
                output[(batchFirst ? b * l + t : t * n + b) * size + i] = h[b * size + i];
            }
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void MultiheadAttentionMatchesPyTorchsComputation(bool batchFirst, bool causal)
    {
        const int n = 2, l = 3, e = 4, heads = 2, hd = e / heads;
        var mha = new MultiheadAttention(e, heads, batchFirst: batchFirst, dtype: DType.F64);
        // Give the zero-initialized biases values so that they are exercised.
        var state = mha.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state["in_proj_bias"] = RandomF64(80, 3 * e);
        state["out_proj.bias"] = RandomF64(81, e);
        mha.LoadStateDict(state);
        var x = Random(82, n * l * e);
        int[] shape = batchFirst ? [n, l, e] : [l, n, e];
        var results = Run(mha, a =>
        {
            var (output, weights) = mha.Forward(a[0], a[0], a[0], isCausal: causal);
            return [output, weights!, mha.Forward(a[0], a[0], a[0], needWeights: false, isCausal: causal).Output];
        }, F64(x, shape));

        double[] w = Values(mha, "in_proj_weight"), b = Values(mha, "in_proj_bias"), wo = Values(mha, "out_proj.weight"), bo = Values(mha, "out_proj.bias");
        var expected = new double[n * l * e];
        var expectedWeights = new double[n * l * l];
        for (int batch = 0; batch < n; batch++)
        {
            var xb = Enumerable.Range(0, l).SelectMany(t => Enumerable.Range(0, e).Select(i => x[(batchFirst ? batch * l + t : t * n + batch) * e + i])).ToArray();
            var qkv = Linear(xb, l, w, 3 * e, b);   // [l, 3e]
            var concat = new double[l * e];
            for (int h = 0; h < heads; h++)
            {
                double[] Part(int which) => Enumerable.Range(0, l).SelectMany(t => Enumerable.Range(0, hd).Select(d => qkv[t * 3 * e + which * e + h * hd + d])).ToArray();
                double[] q = Part(0), k = Part(1), v = Part(2);
                for (int i = 0; i < l; i++)
                {
                    var scores = Enumerable.Range(0, l).Select(j => causal && j > i ? double.NegativeInfinity
                        : Enumerable.Range(0, hd).Sum(d => q[i * hd + d] * k[j * hd + d]) / Math.Sqrt(hd)).ToArray();
                    double max = scores.Max();
                    var p = scores.Select(s => Math.Exp(s - max)).ToArray();
                    double total = p.Sum();
                    for (int j = 0; j < l; j++)
                    {
                        expectedWeights[(batch * l + i) * l + j] += p[j] / total / heads;
                    }
                    for (int d = 0; d < hd; d++)
                    {
                        concat[i * e + h * hd + d] = Enumerable.Range(0, l).Sum(j => p[j] / total * v[j * hd + d]);
                    }
                }
            }
            var outB = Linear(concat, l, wo, e, bo);
            for (int t = 0; t < l; t++)
            {
                for (int i = 0; i < e; i++)
                {
                    expected[(batchFirst ? batch * l + t : t * n + batch) * e + i] = outB[t * e + i];
                }
            }
        }
        AssertClose(expected, results[0]);
        Assert.Equal([n, l, l], results[1].Shape.ToArray());
        AssertClose(expectedWeights, results[1]);
        AssertClose(expected, results[2]);
    }

    [Fact]
    public void MultiheadAttentionKeyPaddingMaskHidesKeys()
    {
        const int n = 2, l = 2, s = 3, e = 4;
        var mha = new MultiheadAttention(e, 2, batchFirst: true, dtype: DType.F64);
        var q = RandomF64(83, n, l, e);
        var kv = RandomF64(84, n, s, e);
        var padding = HostTensor.FromBools(new Shape(n, s), [false, false, true, false, true, true]);
        var results = Run(mha, a =>
        {
            var (output, weights) = mha.Forward(a[0], a[1], a[1], keyPaddingMask: a[2]);
            return [output, weights!];
        }, q, kv, padding);
        var weights = results[1].ToDoubleArray();
        for (int b = 0; b < n; b++)
        {
            for (int i = 0; i < l; i++)
            {
                for (int j = 0; j < s; j++)
                {
                    double wgt = weights[(b * l + i) * s + j];
                    Assert.True(padding.GetBool(b * s + j) ? wgt == 0 : wgt > 0, $"weight [{b},{i},{j}] = {wgt}");
                }
            }
        }
        // Batch 1 sees only its first key, so its output is the projection of that key's value.
        Assert.Equal(1, weights[(1 * l + 0) * s + 0], 12);
    }

    [Fact]
    public void DropoutZeroesOrScalesInTrainingAndIsTheIdentityInEval()
    {
        var dropout = new Dropout(0.25);
        var x = HostTensor.FromDoubles(DType.F32, new Shape(40, 50), Enumerable.Range(1, 2000).Select(i => (double)i).ToArray());
        var y = Forward(dropout, x);
        int zeros = 0;
        for (long i = 0; i < x.ElementCount; i++)
        {
            double v = y.GetDouble(i);
            if (v == 0)
            {
                zeros++;
            }
            else
            {
                Assert.Equal(x.GetDouble(i) / 0.75, v, 3);
            }
        }
        Assert.InRange(zeros, 400, 600);
        var graph = Trace.Function("f", t => dropout.Forward(t), TensorSpec.Input(DType.F32, 2, 2));
        Assert.Contains(graph.Nodes, node => node.Op.Name == "bernoulli");
        dropout.Eval();
        Assert.True(Forward(dropout, x).BitEquals(x));
    }

    [Fact]
    public void BatchNormModuleSwitchesStatisticsWithTheMode()
    {
        var bn = new BatchNorm2d(2, momentum: 0.5, dtype: DType.F64);
        var state = bn.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        state["running_mean"] = F64([1, -1], 2);
        state["running_var"] = F64([4, 0.25], 2);
        bn.LoadStateDict(state);
        var x = RandomF64(90, 2, 2, 2, 2);
        var values = x.ToDoubleArray();
        var train = Forward(bn, x);
        for (int c = 0; c < 2; c++)
        {
            var channel = Enumerable.Range(0, 2).SelectMany(b => Enumerable.Range(0, 4).Select(j => values[(b * 2 + c) * 4 + j])).ToArray();
            double mean = channel.Average(), variance = channel.Sum(v => (v - mean) * (v - mean)) / 8;
            Assert.Equal((values[c * 4] - mean) / Math.Sqrt(variance + 1e-5), train.GetDouble(c * 4), 12);
        }
        bn.Eval();
        var eval = Forward(bn, x);
        Assert.Equal((values[0] - 1) / Math.Sqrt(4 + 1e-5), eval.GetDouble(0), 12);
        Assert.Equal((values[4] + 1) / Math.Sqrt(0.25 + 1e-5), eval.GetDouble(4), 12);
        var evalGraph = Trace.Function("f", t => bn.Forward(t), TensorSpec.Input(DType.F64, 2, 2, 2, 2));
        Assert.DoesNotContain(evalGraph.Nodes, node => node.Op.Name == "reduce_sum");
    }
}
