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
        ["Conv1d(3, 8, 3)"] = (() => new Conv1d(3, 8, 3), 80),
        ["Conv1d(4, 8, 3, groups=2, bias=False)"] = (() => new Conv1d(4, 8, 3, groups: 2, bias: false), 48),
        ["ConvTranspose2d(4, 6, 3)"] = (() => new ConvTranspose2d(4, 6, 3), 222),
        ["ConvTranspose2d(4, 6, (3, 2), groups=2)"] = (() => new ConvTranspose2d(4, 6, (3, 2), groups: 2), 78),
        ["GroupNorm(2, 6)"] = (() => new GroupNorm(2, 6), 12),
        ["GroupNorm(3, 6, affine=False)"] = (() => new GroupNorm(3, 6, affine: false), 0),
        ["InstanceNorm2d(5)"] = (() => new InstanceNorm2d(5), 0),
        ["InstanceNorm2d(5, affine=True, track_running_stats=True)"] = (() => new InstanceNorm2d(5, affine: true, trackRunningStats: true), 10),
        ["PReLU()"] = (() => new PReLU(), 1),
        ["PReLU(7)"] = (() => new PReLU(7), 7),
        ["AdaptiveAvgPool2d(3)"] = (() => new AdaptiveAvgPool2d(3), 0),
        ["RReLU()"] = (() => new RReLU(), 0),
        ["SELU()"] = (() => new SELU(), 0),
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
        Assert.Throws<ArgumentException>(() => new Conv1d(3, 8, 3, groups: 2));
        Assert.Throws<ArgumentException>(() => new ConvTranspose2d(4, 6, 3, groups: 4));
        Assert.Throws<ArgumentException>(() => new GroupNorm(4, 6));
    }

    [Fact]
    public void TheNewLayersNameTheirParametersAndBuffersLikePyTorch()
    {
        var model = new Sequential(("conv1", new Conv1d(2, 3, 3)), ("up", new ConvTranspose2d(3, 2, 2)), ("gn", new GroupNorm(1, 2)),
            ("inorm", new InstanceNorm2d(2, affine: true, trackRunningStats: true)), ("act", new PReLU(2)), ("res", new Residual(new Linear(2, 2))),
            ("pool", new AdaptiveAvgPool2d(1)), ("plain", new InstanceNorm2d(2)));
        Assert.Equal(
        [
            "conv1.weight", "conv1.bias", "up.weight", "up.bias", "gn.weight", "gn.bias", "inorm.weight", "inorm.bias", "act.weight",
            "res.inner.weight", "res.inner.bias",
            "inorm.running_mean", "inorm.running_var", "inorm.num_batches_tracked",
        ], model.StateDict().Keys);
        // Shapes as in PyTorch: Conv1d [out, in/groups, k], ConvTranspose2d [in, out/groups, kh, kw].
        Assert.Equal([3, 2, 3], model.StateDict()["conv1.weight"].Shape.ToArray());
        Assert.Equal([3, 2, 2, 2], model.StateDict()["up.weight"].Shape.ToArray());
        Assert.Equal([2], model.StateDict()["act.weight"].Shape.ToArray());
        Assert.All(model.Buffers(), b => Assert.Equal(InputRole.State, b.Role));
    }

    [Fact]
    public void TheNewLayersSaveAndLoadThroughSafetensors()
    {
        Module Build() => new Sequential(new Conv1d(2, 3, 3), new ConvTranspose2d(3, 2, 2, stride: 2), new GroupNorm(1, 2), new PReLU(2),
            new InstanceNorm2d(2, affine: true, trackRunningStats: true), new Residual(new Linear(2, 2)));
        var saved = Build();
        // Values unlike any initializer's, in every parameter and buffer.
        saved.LoadStateDict(saved.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.DType.IsFloat()
            ? HostTensor.FromDoubles(kv.Value.DType, kv.Value.Shape, Random(kv.Key.Length, (int)kv.Value.ElementCount))
            : HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 7))));
        var path = Path.Combine(Path.GetTempPath(), $"graphdl-layers-{Guid.NewGuid():N}.safetensors");
        try
        {
            saved.Save(path);
            var loaded = Build();
            loaded.Load(path);
            Assert.Equal(saved.StateDict().Keys, loaded.StateDict().Keys);
            Assert.All(saved.StateDict(), kv => Assert.True(kv.Value.BitEquals(loaded.StateDict()[kv.Key]), kv.Key));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheNewConvolutionsUseKaimingUniformWithASqrt5AndAFanInBias()
    {
        var conv1d = new Conv1d(4, 64, 5, groups: 2);
        AssertUniform(Values(conv1d, "weight"), 1 / Math.Sqrt(2 * 5), "Conv1d weight");
        Assert.True(Values(conv1d, "bias").All(v => Math.Abs(v) <= 1 / Math.Sqrt(10)));
        // PyTorch computes the transposed convolution's fan-in from its weight [in, out/groups, kh, kw]: out/groups·kh·kw.
        var transposed = new ConvTranspose2d(16, 6, (3, 2), groups: 2);
        AssertUniform(Values(transposed, "weight"), 1 / Math.Sqrt(3 * 3 * 2), "ConvTranspose2d weight");
        Assert.True(Values(transposed, "bias").All(v => Math.Abs(v) <= 1 / Math.Sqrt(18)));
        Assert.All(Values(new GroupNorm(2, 4), "weight"), v => Assert.Equal(1, v));
        Assert.All(Values(new PReLU(3), "weight"), v => Assert.Equal(0.25, v));
    }

    [Fact]
    public void TheNewModulesNodesCarryTheCallersLine()
    {
        var model = new Sequential(new ConvTranspose2d(1, 2, 2, stride: 2), new GroupNorm(2, 2), new InstanceNorm2d(2, affine: true, trackRunningStats: true),
            new PReLU(2), new SELU(), new RReLU(), new Residual(new Conv2d(2, 2, 3, padding: 1)), new AdaptiveAvgPool2d((2, 1)), new Flatten(), new Linear(4, 3));
        var conv1d = new Conv1d(1, 1, 2);
        var ce = new CrossEntropyLoss(labelSmoothing: 0.1);
        var graph = Trace.Function("f", x =>
        {
            var logits = model.Forward(x);
            var sequence = conv1d.Forward(logits.Reshape(3, 1, 3));
            return ce.Forward(sequence.Reshape(3, 2), F.Zeros([3], DType.I64)) + new MSELoss().Forward(logits, logits * 2.0)
                + new BCEWithLogitsLoss().Forward(logits, logits.Sigmoid()) + new MarginRankingLoss().Forward(logits, logits * 0.5, logits.Sign());
        }, TensorSpec.Input(DType.F32, 3, 1, 2, 2));
        Assert.All(graph.Nodes, n => Assert.Equal("ModuleStructureTests.cs", n.Loc.File));
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
