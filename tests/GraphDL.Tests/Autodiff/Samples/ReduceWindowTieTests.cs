using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>
/// The convention gradcheck cannot see: a max window with tied maxima sends its whole cotangent (and takes its
/// tangent from) the first tied element in row-major window order; a NaN maximum sends nothing.
/// </summary>
public class ReduceWindowTieTests
{
    private static Tensor MaxPool(Tensor x) => Tensor.Emit(OpRegistry.Find("reduce_window")!, [x], AttributeMap.Of(
        ("mode", new StringAttr("max")), ("window", new IntListAttr([2])), ("stride", new IntListAttr([1])), ("padding", new IntListAttr([0, 0]))));

    private static double[] Run(double[] x, Func<Tensor, Tensor> body)
    {
        var graph = Trace.Function("ties", t => [body(t[0])], TensorSpec.Input(DType.F64, x.Length).Named("x"));
        return ReferenceInterpreter.Run(graph, [HostTensor.FromDoubles(DType.F64, new Shape(x.Length), x)])[0].ToDoubleArray();
    }

    private static Tensor Vector(params double[] values) => F.Constant(HostTensor.FromDoubles(DType.F64, new Shape(values.Length), values));

    [Fact]
    public void TiedMaximaSendTheCotangentToTheFirst()
    {
        // Windows (1,3), (3,3), (3,2): the tied middle window picks index 1.
        Assert.Equal([0.0, 20.0, 100.0, 0.0], Run([1, 3, 3, 2], x => GraphDL.Autodiff.Vjp(MaxPool(x), Vector(10, 10, 100), [x])[0]));
        Assert.Equal([2.0, 2.0, 3.0], Run([1, 3, 3, 2], x => GraphDL.Autodiff.Jvp(MaxPool(x), [x], [Vector(1, 2, 3, 4)])));
    }

    [Fact]
    public void NaNMaximaSendNothing()
    {
        Assert.Equal([0.0, 0.0, 1.0, 0.0], Run([1, double.NaN, 2, 0.5], x => GraphDL.Autodiff.Vjp(MaxPool(x), Vector(1, 1, 1), [x])[0]));
    }
}
