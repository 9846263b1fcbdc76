using AD = GraphDL.Autodiff;
using GraphDL.IR;
using GraphDL.IR.Ops;
using static GraphDL.Tests.Autodiff.AutodiffAssert;

namespace GraphDL.Tests.Autodiff;

/// <summary>
/// cast between float dtypes passes gradients through (cast back to the operand's dtype); a cast to or from an
/// integer or bool passes none. Gradcheck only sees f64 → f64, so narrowing and integer casts are checked here.
/// </summary>
public class CastGradientTests
{
    private static readonly HostTensor X = F64(1.5, -2.25, 0.5);

    [Fact]
    public void NarrowingCastPassesTheGradientBackInTheOperandDtype()
    {
        var graph = Trace.Function("narrow", x => AD.Grad((x.To(DType.F32) * 3.0).To(DType.F64).Sum(), [x])[0], Spec(3));
        Assert.Equal(DType.F64, graph.Outputs[0].Value.Type.DType);
        Close([3, 3, 3], Run(graph, X)[0]);
    }

    [Fact]
    public void NarrowingCastPassesTheTangentInTheResultDtype()
    {
        var graph = Trace.Function("narrow", (x, v) => AD.Jvp(x.To(DType.F32) * 3.0, [x], [v]), Spec(3), Spec(3));
        Assert.Equal(DType.F32, graph.Outputs[0].Value.Type.DType);
        Close([3, -6, 1.5], Run(graph, X, F64(1, -2, 0.5))[0]);
    }

    [Theory]
    [InlineData(DType.I32)]
    [InlineData(DType.Bool)]
    public void IntegerAndBoolCastsPassNone(DType through)
    {
        // Σ (cast(x) + x): only the direct path flows.
        var graph = Trace.Function("int", x => AD.Grad((x.To(through).To(DType.F64) + x).Sum(), [x])[0], Spec(3));
        Close([1, 1, 1], Run(graph, X)[0]);
        var jvp = Trace.Function("int", (x, v) => AD.Jvp(x.To(through).To(DType.F64) + x, [x], [v]), Spec(3), Spec(3));
        Close([1, -2, 0.5], Run(jvp, X, F64(1, -2, 0.5))[0]);
    }

    [Fact]
    public void TheRuleReturnsNoneForIntegerCasts()
    {
        var builder = new GraphBuilder("rule");
        var x = builder.AddInput("x", new TensorType(DType.F64, new Shape([3])));
        var toInt = builder.Cast(x, DType.I32);
        Assert.Null(Cast.Instance.Vjp(builder, toInt, toInt)[0]);
        Assert.Null(Cast.Instance.Jvp(builder, toInt, [x]));
        var toF32 = builder.Cast(x, DType.F32);
        Assert.Equal(DType.F64, Cast.Instance.Vjp(builder, toF32, toF32)[0]!.Type.DType);
    }
}
