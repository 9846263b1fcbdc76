using GraphDL.IR;
using static GraphDL.Tests.Training.TrainingTestUtil;

namespace GraphDL.Tests.Training;

using Autodiff = GraphDL.Autodiff;

/// <summary>Integer and bool values have no gradient: asking for one is an error, and they do not disturb backprop through float paths.</summary>
public class IntegerInputTests
{
    private static readonly TensorSpec X = TensorSpec.Input(DType.F64, 3).Named("x");
    private static readonly TensorSpec I = TensorSpec.Input(DType.I64, 3).Named("i");

    [Fact]
    public void DifferentiatingWithRespectToAnIntegerInputIsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Trace.Function("f", (x, i) => Autodiff.Grad((x * i.To(DType.F64)).Sum(), [i])[0], X, I));
        Assert.Contains("%i", error.Message, StringComparison.Ordinal);
        Assert.Contains("i64[3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("only float values have gradients", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentiatingWithRespectToAnIntegerNodeIsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Trace.Function("f", (x, i) =>
            {
                var doubled = i * 2L;
                return Autodiff.Grad((x * doubled).Sum(), [doubled])[0];
            }, X, I));
        Assert.Contains("i64[3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("only float values have gradients", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIntegerLossIsAClearError()
    {
        var error = Assert.Throws<ShapeException>(() => Trace.Function("f", (x, i) => Autodiff.Grad(i.Sum(), [x])[0], X, I));
        Assert.Contains("float scalar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CastFromIntegerGetsNoGradientAndDoesNotBreakBackprop()
    {
        // L = Σ x · f64(2i + 1): integer arithmetic, a cast, and an implicit promotion; ∂L/∂x = 2i + 1.
        var graph = Trace.Function("f", (x, i) =>
        {
            var weights = (i * 2L + 1L).To(DType.F64);
            var loss = (x * weights).Sum() + (x * i).Sum();
            return Autodiff.Grad(loss, [x])[0];
        }, X, I);
        var grad = Run(graph, F64([0.5, -1, 2], 3), I64([3, -2, 0], 3))[0];
        AssertClose([7 + 3, -3 - 2, 1 + 0], grad, "grad x");
    }

    [Fact]
    public void GatherWithIntegerIndicesGetsAGradientOnlyForTheData()
    {
        // L = Σ c · x[idx] with a repeated index: ∂L/∂x scatters c back, adding where indices repeat.
        var graph = Trace.Function("f", a => Autodiff.Grad((a[0].Gather(0, a[1]) * a[2]).Sum(), [a[0], a[2]]),
            TensorSpec.Input(DType.F64, 4), TensorSpec.Input(DType.I64, 3), TensorSpec.Input(DType.F64, 3));
        var grads = Run(graph, F64([1, 2, 3, 4], 4), I64([1, 3, 1], 3), F64([0.5, -2, 4], 3));
        AssertClose([2, 4, 2], grads[1], "grad c");
        var grad = grads[0];
        AssertClose([0, 0.5 + 4, 0, -2], grad, "grad x");
    }

    [Fact]
    public void ComparisonsAndWhereGetNoGradientThroughTheCondition()
    {
        // L = Σ where(x > 0, 2x, x²): ∂L/∂x = 2 where x > 0, else 2x.
        var graph = Trace.Function("f", x => Autodiff.Grad(F.Where(x > 0.0, x * 2.0, x * x).Sum(), [x])[0], X);
        AssertClose([2, -2, 2], Run(graph, F64([0.5, -1, 2], 3))[0], "grad x");
    }
}
