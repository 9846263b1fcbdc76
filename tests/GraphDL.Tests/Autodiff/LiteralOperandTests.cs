using AD = GraphDL.Autodiff;
using GraphDL.IR;
using static GraphDL.Tests.Autodiff.AutodiffAssert;

namespace GraphDL.Tests.Autodiff;

/// <summary>
/// Binary ops with a C# scalar on one side, which the tracer emits as an immediate literal operand: gradcheck samples
/// cannot make literals, so the gradients are checked here against hand-derived values, in both modes. Literals
/// receive no gradient and the rules build nothing for them.
/// </summary>
public class LiteralOperandTests
{
    private static readonly HostTensor X = F64(1.5, -2, 0, 0.5);
    private static readonly HostTensor V = F64(0.5, 1, -2, 0.75);
    private static readonly double[] Xs = X.ToDoubleArray();
    private static readonly double[] Vs = V.ToDoubleArray();

    private static void Check(Func<Tensor, Tensor> f, Func<double, double> derivative)
    {
        var grad = Trace.Function("grad", x => AD.Grad(f(x).Sum(), [x])[0], Spec(4));
        Assert.Contains(grad.Nodes, n => n.Operands.Any(o => o is Literal));
        Close(Xs.Select(derivative).ToArray(), Run(grad, X)[0]);
        var jvp = Trace.Function("jvp", (x, v) => AD.Jvp(f(x), [x], [v]), Spec(4), Spec(4));
        Close(Xs.Select((xi, i) => derivative(xi) * Vs[i]).ToArray(), Run(jvp, X, V)[0]);
    }

    [Fact]
    public void TimesALiteral() => Check(x => x * 2.0, _ => 2);

    [Fact]
    public void LiteralMinus() => Check(x => 2.0 - x, _ => -1);

    [Fact]
    public void MinusALiteral() => Check(x => x - 2.0, _ => 1);

    [Fact]
    public void LiteralOver() => Check(x => 3.0 / (x + 4.0), xi => -3 / ((xi + 4) * (xi + 4)));

    [Fact]
    public void PowerOfALiteralExponent() => Check(x => x.Pow(3.0), xi => 3 * xi * xi);

    [Fact]
    public void PowerWithALiteralExponentBuildsNoLogarithm()
    {
        // ∂/∂b = y·ln a is not built for a literal b: ln of the negative base would be NaN.
        var grad = Trace.Function("grad", x => AD.Grad(x.Pow(3.0).Sum(), [x])[0], Spec(4));
        Assert.DoesNotContain(grad.Nodes, n => n.Op.Name == "log");
        Assert.All(Run(grad, X)[0], g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void SecondOrderOfAPower()
    {
        // d²(Σ x³)/dx² · v = 6x·v, including at x = 0 and x < 0 (pow(a, b − 1)·b, not b·y/a).
        var graph = Trace.Function("hvp", (x, v) => AD.HessianVectorProduct(x.Pow(3.0).Sum(), [x], [v])[0], Spec(4), Spec(4));
        Close(Xs.Select((xi, i) => 6 * xi * Vs[i]).ToArray(), Run(graph, X, V)[0]);
    }
}
