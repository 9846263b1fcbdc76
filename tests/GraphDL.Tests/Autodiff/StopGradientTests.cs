using AD = GraphDL.Autodiff;
using GraphDL.IR;
using static GraphDL.Tests.Autodiff.AutodiffAssert;

namespace GraphDL.Tests.Autodiff;

/// <summary>
/// stop_gradient is the identity whose derivative is defined as zero, so gradcheck (which sees derivative 1) cannot
/// check it; these tests check by hand that the stopped path carries nothing while the other paths still flow, in
/// both modes and at second order.
/// </summary>
public class StopGradientTests
{
    private static readonly HostTensor X = F64(1.5, -2, 0.25, 3);
    private static readonly HostTensor V = F64(0.5, 1, -2, 0.75);

    [Fact]
    public void ReverseModeDropsTheStoppedFactor()
    {
        // loss = Σ x·sg(x): d/dx = sg(x) = x, not 2x.
        var graph = Trace.Function("sg", x => AD.Grad((x * AD.StopGradient(x)).Sum(), [x])[0], Spec(4));
        Close(X.ToDoubleArray(), Run(graph, X)[0]);
    }

    [Fact]
    public void ForwardModeDropsTheStoppedFactor()
    {
        // d(x·sg(x)) along v = v·x, not 2·v·x.
        var graph = Trace.Function("sg", (x, v) => AD.Jvp(x * AD.StopGradient(x), [x], [v]), Spec(4), Spec(4));
        var x = X.ToDoubleArray();
        var v = V.ToDoubleArray();
        Close(x.Select((xi, i) => xi * v[i]).ToArray(), Run(graph, X, V)[0]);
    }

    [Fact]
    public void AFullyStoppedPathGivesZerosInBothModes()
    {
        var reverse = Trace.Function("sg", x => AD.Grad(AD.StopGradient(x).Exp().Sum(), [x])[0], Spec(4));
        Close([0, 0, 0, 0], Run(reverse, X)[0]);
        var forward = Trace.Function("sg", (x, v) => AD.Jvp(AD.StopGradient(x).Exp(), [x], [v]), Spec(4), Spec(4));
        Close([0, 0, 0, 0], Run(forward, X, V)[0]);
    }

    [Fact]
    public void TheOtherPathStillFlowsThroughASum()
    {
        // loss = Σ (sg(x)² + 3x): d/dx = 3.
        var graph = Trace.Function("sg", x =>
        {
            var s = AD.StopGradient(x);
            return AD.Grad((s * s + x * 3.0).Sum(), [x])[0];
        }, Spec(4));
        Close([3, 3, 3, 3], Run(graph, X)[0]);
    }

    [Fact]
    public void SecondOrderSeesTheGradientAsConstant()
    {
        // The gradient of Σ x·sg(x) is sg(x), a constant: its Hessian-vector product is 0, not 2v.
        var graph = Trace.Function("sg", (x, v) => AD.HessianVectorProduct((x * AD.StopGradient(x)).Sum(), [x], [v])[0], Spec(4), Spec(4));
        Close([0, 0, 0, 0], Run(graph, X, V)[0]);
        // Without the stop it is 2v.
        var plain = Trace.Function("plain", (x, v) => AD.HessianVectorProduct((x * x).Sum(), [x], [v])[0], Spec(4), Spec(4));
        Close(V.ToDoubleArray().Select(vi => 2 * vi).ToArray(), Run(plain, X, V)[0]);
    }
}
