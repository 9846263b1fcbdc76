using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>Activation composites against C# double formulas on a grid from −1e4 to 1e4, and PyTorch's values.</summary>
public class ActivationValueTests
{
    private static readonly double[] Grid = [-1e4, -30, -5, -1.5, -0.1, 0, 0.1, 1, 2.5, 19.9, 20, 25, 1e4];

    private const double Alpha = 1.6732632423543772848170429916717, Scale = 1.0507009873554804934193349852946;

    /// <summary>erf by its Maclaurin series (|x| ≤ 3 here, ~1e-13 absolute), independent of the erf primitive.</summary>
    internal static double Erf(double x)
    {
        double sum = 0, term = x;
        for (int n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private static readonly Dictionary<string, (Func<Tensor, Tensor> Composite, Func<double, double> Reference, double[] Grid)> Cases = new()
    {
        ["relu"] = (x => F.Relu(x), x => Math.Max(x, 0), Grid),
        ["leaky_relu"] = (x => F.LeakyRelu(x), x => x > 0 ? x : 0.01 * x, Grid),
        ["leaky_relu_0.2"] = (x => F.LeakyRelu(x, 0.2), x => x > 0 ? x : 0.2 * x, Grid),
        ["rrelu_eval"] = (x => F.RRelu(x), x => x >= 0 ? x : x * ((1.0 / 8 + 1.0 / 3) / 2), Grid),
        ["elu"] = (x => F.Elu(x), x => x > 0 ? x : Math.Exp(x) - 1, Grid),
        ["elu_0.5"] = (x => F.Elu(x, 0.5), x => x > 0 ? x : 0.5 * (Math.Exp(x) - 1), Grid),
        ["selu"] = (x => F.Selu(x), x => Scale * (x > 0 ? x : Alpha * (Math.Exp(x) - 1)), Grid),
        ["gelu"] = (x => F.Gelu(x), x => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))), [-3, -1.5, -0.1, 0, 0.1, 1, 2.5, 3]),
        ["gelu_tanh"] = (x => F.Gelu(x, "tanh"), x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), Grid),
        ["silu"] = (x => F.Silu(x), x => x / (1 + Math.Exp(-x)), Grid),
        ["softplus"] = (x => F.Softplus(x), x => x > 20 ? x : Math.Log(1 + Math.Exp(x)), Grid),
        ["softplus_beta2_threshold5"] = (x => F.Softplus(x, 2, 5), x => 2 * x > 5 ? x : Math.Log(1 + Math.Exp(2 * x)) / 2, [-30, -1, 0, 1, 2.4, 2.5, 2.6, 1e4]),
        ["sigmoid"] = (x => F.Sigmoid(x), x => 1 / (1 + Math.Exp(-x)), Grid),
        ["tanh"] = (x => F.Tanh(x), Math.Tanh, Grid),
    };

    public static TheoryData<string> Names() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesTheFormulaInF64(string name)
    {
        var (composite, reference, grid) = Cases[name];
        var result = One(x => composite(x[0]), F64(grid, grid.Length));
        Assert.Equal(DType.F64, result.DType);
        AssertClose(grid.Select(reference).ToArray(), result, atol: 1e-15, rtol: 2e-15, what: name);
        Assert.All(result.ToDoubleArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void KeepsF32AndMatchesTheFormula(string name)
    {
        var (composite, reference, grid) = Cases[name];
        var result = One(x => composite(x[0]), F32(grid, grid.Length));
        Assert.Equal(DType.F32, result.DType);
        AssertClose(grid.Select(x => (double)(float)reference((float)x)).ToArray(), result, atol: 1e-6, rtol: 1e-6, what: name);
    }

    [Fact]
    public void PyTorchReferenceValues()
    {
        var x = F64([1.0, -1.0], 2);
        AssertClose([0.8413447460685429, -0.15865525393145707], One(t => F.Gelu(t[0]), x), 1e-16, 1e-16, "gelu");
        AssertClose([0.8411919906082768, -0.15880800939172324], One(t => F.Gelu(t[0], "tanh"), x), 1e-16, 1e-15, "gelu tanh");
        AssertClose([1.0507009873554805, -1.1113307378125625], One(t => F.Selu(t[0]), x), 0, 4e-16, "selu");
        AssertClose([0.7310585786300049, -0.2689414213699951], One(t => F.Silu(t[0]), x), 0, 2e-16, "silu");
        AssertClose([1.0, -0.6321205588285577], One(t => F.Elu(t[0]), x), 0, 2e-16, "elu");
        AssertClose([1.0, -0.01], One(t => F.LeakyRelu(t[0]), x), 0, 0, "leaky_relu");
        AssertClose([1.0, -0.22916666666666666], One(t => F.RRelu(t[0]), x), 0, 2e-16, "rrelu eval");
        Assert.Equal(1.6732632423543772, F.SeluAlpha);
        Assert.Equal(1.0507009873554805, F.SeluScale);
    }

    [Fact]
    public void SoftplusIsLinearAboveTheThresholdOnly()
    {
        var result = One(t => F.Softplus(t[0]), F64([20, 20.5, 25, 1e4, -1e4], 5)).ToDoubleArray();
        Assert.Equal(20.000000002061153, result[0], 1e-12);  // β·x = threshold is not above it: log1p(e^20)
        Assert.Equal([20.5, 25, 1e4], result[1..4]);       // exactly x above
        Assert.Equal(0.0, result[4]);
        var scaled = One(t => F.Softplus(t[0], beta: 2, threshold: 20), F64([10.5, 9.5], 2)).ToDoubleArray();
        Assert.Equal(10.5, scaled[0]);
        Assert.Equal(Math.Log(1 + Math.Exp(19)) / 2, scaled[1], 1e-14);
    }

    [Fact]
    public void PReluAppliesOneSlopePerChannelOrOneForAll()
    {
        var x = F64([1, -1, -2, 3, -4, 5, -6, 7], 2, 2, 2);
        AssertClose([1, -0.1, -1, 3, -0.4, 5, -3, 7], One(t => F.PRelu(t[0], t[1]), x, F64([0.1, 0.5], 2)), 1e-16, 1e-15);
        AssertClose([1, -0.25, -0.5, 3, -1, 5, -1.5, 7], One(t => F.PRelu(t[0], t[1]), x, F64([0.25], 1)), 0, 0);
        AssertClose([-0.5, 2], One(t => F.PRelu(t[0], t[1]), F64([-2, 2], 2), F64([0.25], 1)), 0, 0);
        Assert.Throws<ShapeException>(() => One(t => F.PRelu(t[0], t[1]), x, F64([0.1, 0.2, 0.3], 3)));
    }

    [Fact]
    public void GeluRejectsAnUnknownApproximation() =>
        Assert.Throws<ArgumentException>(() => One(t => F.Gelu(t[0], "erf"), F64([1], 1)));

    [Fact]
    public void SoftmaxLogSoftmaxAndLogSumExpMatchTheFormulaAndStayExactAt1e4()
    {
        var x = F64([1, 2, 3, 1e4, -1e4, 0], 2, 3);
        double lse0 = 3 + Math.Log(Math.Exp(-2) + Math.Exp(-1) + 1);
        AssertClose([lse0, 1e4], One(t => F.LogSumExp(t[0], 1), x), 0, 1e-15);
        AssertClose([1 - lse0, 2 - lse0, 3 - lse0, 0, -2e4, -1e4], One(t => F.LogSoftmax(t[0], 1), x), 0, 1e-15);
        AssertClose([Math.Exp(1 - lse0), Math.Exp(2 - lse0), Math.Exp(3 - lse0), 1, 0, 0], One(t => F.Softmax(t[0], 1), x), 1e-300, 1e-15);
        var f32 = One(t => F.LogSoftmax(t[0], 1), F32([1e4, -1e4, 0, -1e4, 1e4, 0], 2, 3));
        AssertClose([0, -2e4, -1e4, -2e4, 0, -1e4], f32, 0, 0);
    }
}
