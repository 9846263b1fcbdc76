using GraphDL.IR;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>Names, parameter counts, initializers and modes of the nn modules.</summary>
public class ModuleStructureTests
{
    [Fact]
    public void StateDictKeysAreQualifiedByRegistrationPath()
    {
        var model = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Flatten(), new Linear(8, 3));
        Assert.Equal(
            ["m0.weight", "m0.bias", "m1.weight", "m1.bias", "m4.weight", "m4.bias", "m1.running_mean", "m1.running_var", "m1.num_batches_tracked"],
            model.StateDict().Keys);
        Assert.Equal(DType.I64, model.StateDict()["m1.num_batches_tracked"].DType);
        Assert.Equal(0, model.StateDict()["m1.num_batches_tracked"].Shape.Rank);
    }

    [Fact]
    public void NestedModulesNameTheirParametersLikePyTorch()
    {
        var model = new Sequential(("encoder", new Sequential(new Embedding(5, 4), new LSTM(4, 3))), ("attention", new MultiheadAttention(4, 2)),
            ("norm", new LayerNorm(4)), ("gru", new GRU(4, 2, bias: false)), ("rnn", new RNN(2, 2)));
        Assert.Equal(
        [
            "encoder.m0.weight",
            "encoder.m1.weight_ih_l0", "encoder.m1.weight_hh_l0", "encoder.m1.bias_ih_l0", "encoder.m1.bias_hh_l0",
            "attention.in_proj_weight", "attention.in_proj_bias", "attention.out_proj.weight", "attention.out_proj.bias",
            "norm.weight", "norm.bias",
            "gru.weight_ih_l0", "gru.weight_hh_l0",
            "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
        ], model.StateDict().Keys);
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], new LSTMCell(2, 3).StateDict().Keys);
    }

    // Counts from sum(p.numel() for p in m.parameters()) in PyTorch for the same configurations.
    private static readonly Dictionary<string, (Func<Module> Create, long Count)> Configurations = new()
    {
        ["Conv2d(3, 8, 3)"] = (() => new Conv2d(3, 8, 3), 224),
        ["Conv2d(4, 8, 3, groups=2)"] = (() => new Conv2d(4, 8, 3, groups: 2), 152),
        ["Conv2d(3, 8, (3, 5), bias=False)"] = (() => new Conv2d(3, 8, (3, 5), bias: false), 360),
        ["BatchNorm1d(5)"] = (() => new BatchNorm1d(5), 10),
        ["BatchNorm2d(8, affine=False)"] = (() => new BatchNorm2d(8, affine: false), 0),
        ["LayerNorm(10)"] = (() => new LayerNorm(10), 20),
        ["LayerNorm([3, 4], bias=False)"] = (() => new LayerNorm([3, 4], bias: false), 12),
        ["LayerNorm(6, elementwise_affine=False)"] = (() => new LayerNorm(6, elementwiseAffine: false), 0),
        ["Embedding(10, 3)"] = (() => new Embedding(10, 3), 30),
        ["RNN(10, 20)"] = (() => new RNN(10, 20), 640),
        ["GRU(10, 20)"] = (() => new GRU(10, 20), 1920),
        ["LSTM(10, 20)"] = (() => new LSTM(10, 20), 2560),
        ["LSTM(10, 20, bias=False)"] = (() => new LSTM(10, 20, bias: false), 2400),
        ["RNNCell(10, 20)"] = (() => new RNNCell(10, 20), 640),
        ["GRUCell(10, 20)"] = (() => new GRUCell(10, 20), 1920),
        ["LSTMCell(10, 20)"] = (() => new LSTMCell(10, 20), 2560),
        ["LSTMCell(10, 20, bias=False)"] = (() => new LSTMCell(10, 20, bias: false), 2400),
        ["MultiheadAttention(16, 4)"] = (() => new MultiheadAttention(16, 4), 1088),
        ["MultiheadAttention(16, 4, bias=False)"] = (() => new MultiheadAttention(16, 4, bias: false), 1024),
        ["Dropout(0.5)"] = (() => new Dropout(0.5), 0),
        ["MaxPool2d(2)"] = (() => new MaxPool2d(2), 0),
    };

    public static TheoryData<string> PyTorchConfigurations => new(Configurations.Keys);

    [Theory]
    [MemberData(nameof(PyTorchConfigurations))]
    public void ParameterCountsEqualPyTorchs(string configuration)
    {
        var (create, expected) = Configurations[configuration];
        Assert.Equal(expected, create().ParameterCount());
    }

    [Fact]
    public void BatchNormBuffersAreNotParameters()
    {
        var bn = new BatchNorm1d(3);
        Assert.Equal(["weight", "bias"], bn.Parameters().Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], bn.Buffers().Select(p => p.Name));
        Assert.All(bn.Buffers(), b => Assert.Equal(InputRole.State, b.Role));
        Assert.Equal([0.0, 0, 0], Values(bn, "running_mean"));
        Assert.Equal([1.0, 1, 1], Values(bn, "running_var"));
        Assert.Equal([1.0, 1, 1], Values(bn, "weight"));
        Assert.Equal([0.0, 0, 0], Values(bn, "bias"));
    }

    /// <summary>
    /// Checks values look like U(−bound, bound): inside it, with the uniform's mean and variance within five standard
    /// errors, and (for enough values) reaching near both ends. The stream is shared with tests running in parallel,
    /// so the draws differ from run to run: the tolerances make a false failure practically impossible.
    /// </summary>
    private static void AssertUniform(double[] values, double bound, string what)
    {
        int n = values.Length;
        Assert.True(values.All(v => Math.Abs(v) <= bound), $"{what}: a value outside ±{bound}");
        if (n >= 200)
        {
            Assert.True(values.Max() > 0.8 * bound && values.Min() < -0.8 * bound, $"{what}: values do not spread over ±{bound}");
        }
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / n;
        double expected = bound * bound / 3;
        Assert.True(Math.Abs(mean) < 5 * bound / Math.Sqrt(3 * n), $"{what}: mean {mean}");
        Assert.True(Math.Abs(variance / expected - 1) < 5 * Math.Sqrt(0.8 / n), $"{what}: variance {variance}, expected {expected}");
    }

    [Fact]
    public void Conv2dUsesKaimingUniformWithASqrt5AndAFanInBias()
    {
        var conv = new Conv2d(4, 16, 3);
        AssertUniform(Values(conv, "weight"), 1 / Math.Sqrt(36), "weight");
        Assert.True(Values(conv, "bias").All(v => Math.Abs(v) <= 1 / 6.0));
        var grouped = new Conv2d(4, 32, (3, 2), groups: 2);
        AssertUniform(Values(grouped, "weight"), 1 / Math.Sqrt(2 * 3 * 2), "grouped weight");
    }

    [Fact]
    public void RecurrentParametersAreUniformOverOneOverSqrtHidden()
    {
        foreach (Module m in new Module[] { new RNN(8, 25), new GRU(8, 25), new LSTM(8, 25), new RNNCell(8, 25), new GRUCell(8, 25), new LSTMCell(8, 25) })
        {
            foreach (var p in m.Parameters())
            {
                AssertUniform(p.Data.ToDoubleArray(), 0.2, $"{m}.{p.Name}");
            }
        }
    }

    [Fact]
    public void EmbeddingIsStandardNormalWithAZeroPaddingRow()
    {
        var values = Values(new Embedding(200, 16), "weight");
        double mean = values.Average(), std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        Assert.True(Math.Abs(mean) < 0.09, $"mean {mean}");
        Assert.True(Math.Abs(std - 1) < 0.065, $"std {std}");
        var padded = Values(new Embedding(5, 3, paddingIdx: -2), "weight");
        Assert.Equal([0.0, 0, 0], padded.Skip(9).Take(3));
        Assert.DoesNotContain(0.0, padded.Take(9));
    }

    [Fact]
    public void MultiheadAttentionInitializesLikePyTorch()
    {
        var mha = new MultiheadAttention(16, 4);
        AssertUniform(Values(mha, "in_proj_weight"), Math.Sqrt(6.0 / (16 + 48)), "in_proj_weight");
        AssertUniform(Values(mha, "out_proj.weight"), 1 / Math.Sqrt(16), "out_proj.weight");
        Assert.All(Values(mha, "in_proj_bias"), v => Assert.Equal(0, v));
        Assert.All(Values(mha, "out_proj.bias"), v => Assert.Equal(0, v));
    }

    [Fact]
    public void LayerNormStartsAsTheIdentityAffine()
    {
        var ln = new LayerNorm([2, 3]);
        Assert.All(Values(ln, "weight"), v => Assert.Equal(1, v));
        Assert.All(Values(ln, "bias"), v => Assert.Equal(0, v));
        Assert.Equal([2, 3], ln.StateDict()["weight"].Shape.ToArray());
    }

    [Fact]
    public void TrainAndEvalReachEveryDescendant()
    {
        var inner = new Sequential(new Dropout(0.3), new BatchNorm1d(2));
        var model = new Sequential(inner, new LSTM(2, 2));
        Assert.True(inner.Layers.All(l => l.Training));
        model.Eval();
        Assert.False(model.Training);
        Assert.True(inner.Layers.All(l => !l.Training));
        model.Train();
        Assert.True(inner.Layers.All(l => l.Training));
    }

    [Fact]
    public void ModuleNodesCarryTheCallersLine()
    {
        var model = new Sequential(new Conv2d(1, 2, 2), new BatchNorm2d(2), new GELU(), new AvgPool2d(2), new Flatten(), new Dropout(0.1),
            new Linear(2, 4), new LayerNorm(4), new SiLU(), new Softplus());
        var lstm = new LSTM(4, 3);
        var attention = new MultiheadAttention(4, 2);
        var graph = Trace.Function("f", x =>
        {
            var h = model.Forward(x);
            var seq = attention.Forward(h.Reshape(3, 1, 4));
            return lstm.Forward(seq);
        }, TensorSpec.Input(DType.F32, 3, 1, 3, 3));
        Assert.All(graph.Nodes, n => Assert.Equal("ModuleStructureTests.cs", n.Loc.File));
    }

    [Fact]
    public void ConstructorsRejectBadConfigurations()
    {
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 8, 3, groups: 2));
        Assert.Throws<ArgumentException>(() => new MultiheadAttention(10, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5));
        Assert.Throws<ArgumentException>(() => new RNN(2, 2, nonlinearity: "sigmoid"));
        Assert.Throws<ArgumentException>(() => new GELU("erf"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(4, 2, paddingIdx: 4));
    }
}

/// <summary>Initialization determinism: alone, since other tests draw from the shared stream.</summary>
[CollectionDefinition(nameof(InitStreamCollection), DisableParallelization = true)]
public class InitStreamCollection;

[Collection(nameof(InitStreamCollection))]
public class InitDeterminismTests
{
    private static IReadOnlyDictionary<string, HostTensor> Build(long seed)
    {
        Init.ManualSeed(seed);
        return new Sequential(new Conv2d(2, 3, 3), new LSTM(3, 4), new MultiheadAttention(4, 2), new Embedding(6, 4)).StateDict();
    }

    [Fact]
    public void TheSameSeedGivesTheSameModel()
    {
        var first = Build(7);
        var second = Build(7);
        var other = Build(8);
        Assert.Equal(first.Keys, second.Keys);
        Assert.All(first, kv => Assert.True(kv.Value.BitEquals(second[kv.Key]), kv.Key));
        Assert.False(first["m0.weight"].BitEquals(other["m0.weight"]));
        Assert.False(first["m1.weight_ih_l0"].BitEquals(other["m1.weight_ih_l0"]));
    }
}
