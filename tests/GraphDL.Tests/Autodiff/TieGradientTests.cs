using AD = GraphDL.Autodiff;
using GraphDL.IR;
using static GraphDL.Tests.Autodiff.AutodiffAssert;

namespace GraphDL.Tests.Autodiff;

/// <summary>
/// The documented conventions where max and min are not differentiable: at a tie the derivative is split equally
/// among the tied operands or elements (as JAX and torch.amax do), in both modes, so the two modes agree.
/// </summary>
public class TieGradientTests
{
    [Fact]
    public void ElementwiseMaxAndMinSplitTiesEvenly()
    {
        var a = F64(1, 2, -3, 0.5);
        var b = F64(1, 1, -2, 0.5);
        foreach (bool isMax in new[] { true, false })
        {
            var graph = Trace.Function("tie", x =>
            {
                var y = isMax ? x[0].Maximum(x[1]) : x[0].Minimum(x[1]);
                return AD.Grad(y.Sum(), [x[0], x[1]]);
            }, Spec(4), Spec(4));
            var grads = Run(graph, a, b);
            Close(isMax ? [0.5, 1, 0, 0.5] : [0.5, 0, 1, 0.5], grads[0]);
            Close(isMax ? [0.5, 0, 1, 0.5] : [0.5, 1, 0, 0.5], grads[1]);

            var jvp = Trace.Function("tie", x =>
            {
                var y = isMax ? x[0].Maximum(x[1]) : x[0].Minimum(x[1]);
                return [AD.Jvp(y, [x[0], x[1]], [x[2], x[3]])];
            }, Spec(4), Spec(4), Spec(4), Spec(4));
            var ta = F64(1, 2, 3, 4);
            var tb = F64(10, 20, 30, 40);
            Close(isMax ? [5.5, 2, 30, 22] : [5.5, 20, 3, 22], Run(jvp, a, b, ta, tb)[0]);
        }
    }

    [Fact]
    public void MaxOfAValueWithItselfHasDerivativeOne()
    {
        var graph = Trace.Function("self", x => AD.Grad(x.Maximum(x).Sum(), [x])[0], Spec(3));
        Close([1, 1, 1], Run(graph, F64(-1, 0, 2))[0]);
    }

    [Fact]
    public void ReluHasHalfAtZero()
    {
        var graph = Trace.Function("relu", x => AD.Grad(x.Maximum(0.0).Sum(), [x])[0], Spec(3));
        Close([0, 0.5, 1], Run(graph, F64(-1, 0, 2))[0]);
    }

    [Fact]
    public void ReduceMaxAndMinSplitTiesEvenly()
    {
        var x = HostTensor.FromArray(new double[] { 1, 3, 3, 2, -1, 5, -1, 4 }, 2, 4);
        var t = HostTensor.FromArray(new double[] { 1, 2, 4, 8, 16, 32, 64, 128 }, 2, 4);
        var spec = TensorSpec.Input(DType.F64, 2, 4);
        foreach (bool isMax in new[] { true, false })
        {
            Tensor Reduce(Tensor v) => isMax ? v.Max(1) : v.Min(1);
            var grad = Trace.Function("tie", v => AD.Grad(Reduce(v).Sum(), [v])[0], spec);
            Close(isMax ? [0, 0.5, 0.5, 0, 0, 1, 0, 0] : [1, 0, 0, 0, 0.5, 0, 0.5, 0], Run(grad, x)[0]);
            var jvp = Trace.Function("tie", (v, dv) => AD.Jvp(Reduce(v), [v], [dv]), spec, spec);
            Close(isMax ? [3, 32] : [1, 40], Run(jvp, x, t)[0]);
        }
    }

    [Fact]
    public void ReduceMaxOverEveryAxisWithKeepdims()
    {
        var x = HostTensor.FromArray(new double[] { 2, 7, 7, 7, 1, 0 }, 2, 3);
        var graph = Trace.Function("all", v => AD.Grad(v.Max([0, 1], keepDims: true).Sum(), [v])[0], TensorSpec.Input(DType.F64, 2, 3));
        Close([0, 1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0], Run(graph, x)[0]);
    }
}
