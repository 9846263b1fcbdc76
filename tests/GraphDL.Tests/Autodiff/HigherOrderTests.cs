using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.Autodiff;

using AD = GraphDL.Autodiff;

/// <summary>Derivatives of derivatives: Hessian-vector products and grad of grad against closed forms.</summary>
public class HigherOrderTests
{
    private static readonly double[] A = [2, 1, 0, 1, 3, -1, 0, -1, 4];

    [Fact]
    public void HessianVectorProductOfAQuadraticIsTheMatrixTimesTheVector()
    {
        // f(x) = ½ xᵀ A x with A symmetric: ∇f = A x and H v = A v, for any x.
        var graph = Trace.Function("hvp", (x, v) =>
        {
            var a = F.Constant(HostTensor.FromArray(A, 3, 3));
            var loss = (x * a.MatMul(x)).Sum() * 0.5;
            return AD.HessianVectorProduct(loss, [x], [v])[0];
        }, TensorSpec.Input(DType.F64, 3), TensorSpec.Input(DType.F64, 3));
        double[] v = [1, -2, 0.5];
        var hv = ReferenceInterpreter.Run(graph, [HostTensor.FromArray([0.3, -0.7, 1.1], 3), HostTensor.FromArray(v, 3)])[0].ToDoubleArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(A[i * 3] * v[0] + A[i * 3 + 1] * v[1] + A[i * 3 + 2] * v[2], hv[i], 12);
        }
    }

    [Fact]
    public void ThirdDerivativeOfACubeIsSix()
    {
        // d³/dx³ x³ = 6 through three nested reverse sweeps.
        var graph = Trace.Function("d3", x =>
        {
            var y = (x * x * x).Sum();
            var g1 = AD.Grad(y, [x])[0].Sum();
            var g2 = AD.Grad(g1, [x])[0].Sum();
            return AD.Grad(g2, [x])[0];
        }, TensorSpec.Input(DType.F64, 2));
        var d3 = ReferenceInterpreter.Run(graph, [HostTensor.FromArray([0.5, -3.0], 2)])[0].ToDoubleArray();
        Assert.Equal([6.0, 6.0], d3);
    }

    [Fact]
    public void ForwardOverReverseEqualsReverseOverReverse()
    {
        // For f(x) = Σ sin(x)·exp(x), both ways of computing H v must agree.
        var graph = Trace.Function("two_ways", (x, v) =>
        {
            var loss = (x.Sin() * x.Exp()).Sum();
            var forwardOverReverse = AD.HessianVectorProduct(loss, [x], [v])[0];
            var grad = AD.Grad(loss, [x])[0];
            var reverseOverReverse = AD.Grad((grad * v).Sum(), [x])[0];
            return forwardOverReverse - reverseOverReverse;
        }, TensorSpec.Input(DType.F64, 4), TensorSpec.Input(DType.F64, 4));
        var inputs = RandomInputs.For(graph, 9);
        var difference = ReferenceInterpreter.Run(graph, inputs)[0].ToDoubleArray();
        Assert.All(difference, d => Assert.True(Math.Abs(d) < 1e-12, $"difference {d}"));
    }
}
