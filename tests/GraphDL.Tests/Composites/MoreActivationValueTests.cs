using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>
/// The PyTorch activations added beside the first set, against C# double formulas written from PyTorch's definitions
/// (not the composites' forms) on a grid from −1e4 to 1e4 that includes every bound, and their error cases.
/// </summary>
public class MoreActivationValueTests
{
    private static readonly double[] Grid = [-1e4, -30, -6, -3, -2.5, -1, -0.5, 0, 0.5, 1, 3, 6, 6.5, 19.9, 25, 1e4];

    /// <summary>log(1 + e) without the rounding of 1 + e (Kahan's form: the rounding error of u = 1 + e cancels).</summary>
    internal static double Log1p(double e)
    {
        double u = 1 + e;
        return u == 1 ? e : Math.Log(u) * e / (u - 1);
    }

    private static double Softplus(double x) => x > 20 ? x : Log1p(Math.Exp(x));

    private static readonly Dictionary<string, (Func<Tensor, Tensor> Composite, Func<double, double> Reference)> Cases = new()
    {
        ["hardtanh"] = (x => F.Hardtanh(x), x => Math.Min(Math.Max(x, -1), 1)),
        ["hardtanh_-2_3"] = (x => F.Hardtanh(x, -2, 3), x => Math.Min(Math.Max(x, -2), 3)),
        ["relu6"] = (x => F.Relu6(x), x => Math.Min(Math.Max(x, 0), 6)),
        ["softsign"] = (x => F.Softsign(x), x => x / (1 + Math.Abs(x))),
        // log σ(x) = −log(1 + e⁻ˣ); for x < −30 the e⁻ˣ term overflows in doubles, so use x − log(1 + eˣ) there.
        ["logsigmoid"] = (x => F.LogSigmoid(x), x => x < 0 ? x - Log1p(Math.Exp(x)) : -Log1p(Math.Exp(-x))),
        ["mish"] = (x => F.Mish(x), x => x * Math.Tanh(Softplus(x))),
        ["hardswish"] = (x => F.Hardswish(x), x => x * Math.Min(Math.Max(x + 3, 0), 6) / 6),
        ["hardsigmoid"] = (x => F.Hardsigmoid(x), x => Math.Min(Math.Max(x + 3, 0), 6) / 6),
        ["celu"] = (x => F.Celu(x), x => Math.Max(0, x) + Math.Min(0, Math.Exp(x) - 1)),
        ["celu_2"] = (x => F.Celu(x, 2), x => Math.Max(0, x) + Math.Min(0, 2 * (Math.Exp(x / 2) - 1))),
        ["threshold_0.5_-7"] = (x => F.Threshold(x, 0.5, -7), x => x > 0.5 ? x : -7),
        ["clamp_-2_1"] = (x => F.Clamp(x, -2, 1), x => Math.Min(Math.Max(x, -2), 1)),
        ["clamp_min"] = (x => F.Clamp(x, min: 0.5), x => Math.Max(x, 0.5)),
        ["clamp_max"] = (x => F.Clamp(x, max: 0.5), x => Math.Min(x, 0.5)),
        ["clamp_min_above_max"] = (x => F.Clamp(x, 2, 1), x => Math.Min(Math.Max(x, 2), 1)),
    };

    public static TheoryData<string> Names() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesTheFormulaInF64(string name)
    {
        var (composite, reference) = Cases[name];
        var result = One(x => composite(x[0]), F64(Grid, Grid.Length));
        Assert.Equal(DType.F64, result.DType);
        AssertClose(Grid.Select(reference).ToArray(), result, atol: 1e-15, rtol: 4e-15, what: name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void KeepsF32AndMatchesTheFormula(string name)
    {
        var (composite, reference) = Cases[name];
        var result = One(x => composite(x[0]), F32(Grid, Grid.Length));
        Assert.Equal(DType.F32, result.DType);
        AssertClose(Grid.Select(x => (double)(float)reference((float)x)).ToArray(), result, atol: 1e-6, rtol: 1e-6, what: name);
        Assert.All(result.ToDoubleArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void GluGatesTheFirstHalfWithTheSecondAlongTheAxis()
    {
        double[] x = [1, -2, 0.5, 3, -1, 2, 4, -0.5];
        static double S(double v) => 1 / (1 + Math.Exp(-v));
        AssertClose([1 * S(0.5), -2 * S(3), -1 * S(4), 2 * S(-0.5)], One(t => F.Glu(t[0]), F64(x, 2, 4)), 0, 1e-15, "glu last");
        AssertClose([1 * S(-1), -2 * S(2), 0.5 * S(4), 3 * S(-0.5)], One(t => F.Glu(t[0], 0), F64(x, 2, 4)), 0, 1e-15, "glu axis 0");
        Assert.Throws<ShapeException>(() => One(t => F.Glu(t[0]), F64([1, 2, 3], 3)));
        Assert.Throws<ShapeException>(() => One(t => F.Glu(t[0], 2), F64(x, 2, 4)));
    }

    [Fact]
    public void SoftminIsTheSoftmaxOfTheNegationAndStableAt1e4()
    {
        double[] x = [1, 2, 3, 1e4, -1e4, 0];
        double z = Math.Exp(-1) + Math.Exp(-2) + Math.Exp(-3);
        AssertClose([Math.Exp(-1) / z, Math.Exp(-2) / z, Math.Exp(-3) / z, 0, 1, 0], One(t => F.Softmin(t[0], 1), F64(x, 2, 3)), 1e-300, 1e-15, "softmin");
    }

    [Fact]
    public void PiecewiseGradientsFollowPyTorchAtTheBounds()
    {
        // hardtanh's gradient is 0 at its bounds (strict), clamp's is 1 (inclusive), threshold's is 0 at the threshold.
        double[] x = [-1, 1, 0.5];
        AssertClose([0, 0, 1], Gradient(t => F.Hardtanh(t), x), 0, 0, "hardtanh");
        AssertClose([1, 1, 1], Gradient(t => F.Clamp(t, -1, 1), x), 0, 0, "clamp");
        AssertClose([0, 1, 0], Gradient(t => F.Threshold(t, 0.5, 0), [0.5, 1, 0.2]), 0, 0, "threshold");
        AssertClose([0, 1.0 / 6, 0], Gradient(t => F.Hardsigmoid(t), [-3, 0, 3]), 0, 1e-15, "hardsigmoid");
    }

    private static HostTensor Gradient(Func<Tensor, Tensor> f, double[] x) =>
        One(t => GraphDL.Autodiff.Grad(f(t[0]).Sum(), [t[0]])[0], F64(x, x.Length));

    [Fact]
    public void BadArgumentsThrowBeforeTracing()
    {
        Assert.Throws<ArgumentException>(() => One(t => F.Clamp(t[0]), F64([1], 1)));
        Assert.Throws<ArgumentException>(() => One(t => F.Hardtanh(t[0], 1, -1), F64([1], 1)));
        Assert.Throws<ArgumentException>(() => One(t => F.Celu(t[0], 0), F64([1], 1)));
        Assert.Throws<ArgumentException>(() => new CELU(0));
        Assert.Throws<ArgumentException>(() => new Hardtanh(2, 1));
    }

    [Fact]
    public void ModulesCallTheirFunctionalForms()
    {
        double[] x = [-4, -1, 0.5, 2, 7, -0.25];
        var input = F64(x, 2, 3);
        (Module Module, Func<Tensor, Tensor> Functional)[] pairs =
        [
            (new Hardtanh(-0.5, 0.5), t => F.Hardtanh(t, -0.5, 0.5)), (new ReLU6(), t => F.Relu6(t)), (new Hardswish(), t => F.Hardswish(t)),
            (new Hardsigmoid(), t => F.Hardsigmoid(t)), (new Threshold(1, -3), t => F.Threshold(t, 1, -3)), (new Softsign(), t => F.Softsign(t)),
            (new LogSigmoid(), t => F.LogSigmoid(t)), (new Mish(), t => F.Mish(t)), (new CELU(0.5), t => F.Celu(t, 0.5)),
            (new Softmax(0), t => F.Softmax(t, 0)), (new Softmin(), t => F.Softmin(t)), (new LogSoftmax(), t => F.LogSoftmax(t)),
        ];
        foreach (var (module, functional) in pairs)
        {
            AssertClose(One(t => functional(t[0]), input).ToDoubleArray(), One(t => module.Forward(t[0]), input), 0, 0, module.GetType().Name);
        }
        Assert.Equal([1, 3], One(t => new GLU(0).Forward(t[0]), input).Shape.ToArray());
    }
}
