using GraphDL.IR;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>
/// Reverse-mode gradients of whole modules, with respect to the input and every parameter, against f64 central
/// differences of ⟨u, module(x)⟩ for a random u. (<see cref="GradCheck"/> feeds only its own inputs, so it cannot
/// reach a module's parameters; the composites inside are checked to second order in <see cref="CompositeGradCheckTests"/>.)
/// </summary>
public class ModuleGradientTests
{
    private static double Dot(HostTensor a, HostTensor b) => Enumerable.Range(0, (int)a.ElementCount).Sum(i => a.GetDouble(i) * b.GetDouble(i));

    private static HostTensor Perturb(HostTensor t, int index, double delta)
    {
        var values = t.ToDoubleArray();
        values[index] += delta;
        return HostTensor.FromDoubles(t.DType, t.Shape, values);
    }

    private static void CheckModule(Module model, HostTensor x, Func<Tensor, Tensor>? forward = null)
    {
        forward ??= model.Forward;
        const double eps = 1e-6, atol = 1e-6, rtol = 1e-4;
        var parameters = model.Parameters().ToArray();
        var y = Run(model, a => [forward(a[0])], x)[0];
        var u = RandomF64(7, y.Shape.ToArray());
        bool xFloat = x.DType.IsFloat();
        var grads = Run(model, a => GraphDL.Autodiff.Vjp(forward(a[0]), F.Constant(u), [.. (xFloat ? new[] { a[0] } : []), .. parameters.Select(p => p.Tensor)]), x);
        double Loss(HostTensor input) => Dot(u, Run(model, a => [forward(a[0])], input)[0]);
        var failures = new List<string>();
        void Compare(string what, double analytic, double numeric)
        {
            if (!(Math.Abs(analytic - numeric) <= atol + rtol * Math.Abs(numeric)))
            {
                failures.Add($"{what}: analytic {analytic:R}, numeric {numeric:R}");
            }
        }
        int k = 0;
        if (xFloat)
        {
            for (int i = 0; i < x.ElementCount; i++)
            {
                Compare($"x[{i}]", grads[0].GetDouble(i), (Loss(Perturb(x, i, eps)) - Loss(Perturb(x, i, -eps))) / (2 * eps));
            }
            k = 1;
        }
        foreach (var p in parameters)
        {
            var original = p.Data;
            for (int i = 0; i < original.ElementCount; i++)
            {
                p.Data = Perturb(original, i, eps);
                double plus = Loss(x);
                p.Data = Perturb(original, i, -eps);
                double minus = Loss(x);
                Compare($"{p.Name}[{i}]", grads[k].GetDouble(i), (plus - minus) / (2 * eps));
            }
            p.Data = original;
            k++;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void Conv2d() => CheckModule(new Conv2d(2, 2, 2, padding: 1, dtype: DType.F64), RandomF64(200, 1, 2, 3, 3));

    [Fact]
    public void Conv2dStridedAndGrouped() => CheckModule(new Conv2d(2, 4, 2, stride: 2, groups: 2, dtype: DType.F64), RandomF64(201, 1, 2, 4, 4));

    [Fact]
    public void LayerNormModule() => CheckModule(new LayerNorm(3, dtype: DType.F64), RandomF64(202, 2, 3));

    [Fact]
    public void BatchNorm1dInTraining() => CheckModule(new BatchNorm1d(2, dtype: DType.F64), RandomF64(203, 3, 2, 2));

    [Fact]
    public void LstmModule()
    {
        var lstm = new LSTM(2, 2, batchFirst: true, dtype: DType.F64);
        CheckModule(lstm, RandomF64(204, 1, 3, 2));
    }

    [Fact]
    public void GruModule() => CheckModule(new GRU(2, 2, dtype: DType.F64), RandomF64(205, 2, 1, 2));

    [Fact]
    public void MultiheadAttentionModule()
    {
        var mha = new MultiheadAttention(4, 2, dtype: DType.F64);
        CheckModule(mha, RandomF64(206, 2, 1, 4), x => mha.Forward(x, x, x, isCausal: true).Output);
    }

    [Fact]
    public void EmbeddingModule()
    {
        var embedding = new Embedding(4, 2, paddingIdx: 1, dtype: DType.F64);
        var indices = HostTensor.FromInt64s(DType.I64, new Shape(3), [0, 3, 3]);
        CheckModule(embedding, indices, x => embedding.Forward(x) * embedding.Forward(x));
    }

    [Fact]
    public void EmbeddingPaddingRowGetsZeroGradient()
    {
        var embedding = new Embedding(3, 2, paddingIdx: 0, dtype: DType.F64);
        var indices = HostTensor.FromInt64s(DType.I64, new Shape(4), [0, 2, 0, 1]);
        var grad = Run(embedding, a => GraphDL.Autodiff.Grad(embedding.Forward(a[0]).Sum(), [embedding.Weight]), indices)[0];
        Assert.Equal([0.0, 0, 1, 1, 1, 1], grad.ToDoubleArray());
    }

    [Fact]
    public void Conv1dModule() => CheckModule(new Conv1d(2, 4, 2, stride: 2, padding: 1, groups: 2, dtype: DType.F64), RandomF64(210, 2, 2, 5));

    [Fact]
    public void ConvTranspose2dModule() =>
        CheckModule(new ConvTranspose2d(2, 2, (2, 3), stride: 2, padding: 1, outputPadding: 1, dtype: DType.F64), RandomF64(211, 1, 2, 2, 2));

    [Fact]
    public void GroupNormModule() => CheckModule(new GroupNorm(2, 4, dtype: DType.F64), RandomF64(212, 2, 4, 2));

    [Fact]
    public void InstanceNorm2dModuleWithAffineAndRunningStatistics() =>
        CheckModule(new InstanceNorm2d(2, affine: true, trackRunningStats: true, dtype: DType.F64), RandomF64(213, 2, 2, 2, 2));

    [Fact]
    public void AdaptiveAvgPool2dModule() => CheckModule(new AdaptiveAvgPool2d((2, 3)), RandomF64(214, 1, 2, 3, 4));

    /// <summary>Inputs away from the kink at 0, where the one-sided derivatives of PReLU differ.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PReLUModule(int numParameters)
    {
        var values = Random(215, 12).Select(v => v + Math.Sign(v) * 0.1).ToArray();
        CheckModule(new PReLU(numParameters, dtype: DType.F64), F64(values, 2, 3, 2));
    }

    [Fact]
    public void ResidualModule()
    {
        var inner = new Sequential(new Linear(3, 3, dtype: DType.F64), new Tanh(), new Linear(3, 3, dtype: DType.F64));
        CheckModule(new Residual(inner), RandomF64(216, 2, 3));
    }
}
