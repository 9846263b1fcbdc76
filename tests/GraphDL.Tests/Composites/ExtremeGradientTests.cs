using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>
/// Gradients at inputs of ±1e4, where a naive formula overflows: they must be finite and exact (softmax − onehot,
/// σ(x) − y, and so on). These need the primitives' autodiff rules.
/// </summary>
public class ExtremeGradientTests
{
    private static HostTensor[] Gradients(Func<Tensor[], Tensor> loss, int differentiable, params HostTensor[] inputs)
    {
        var graph = Trace(x => GraphDL.Autodiff.Grad(loss(x), x.Take(differentiable).ToArray()), inputs);
        return Run(graph, inputs).ToArray();
    }

    [Theory]
    [InlineData(DType.F64)]
    [InlineData(DType.F32)]
    public void CrossEntropyGradientIsSoftmaxMinusTarget(DType dtype)
    {
        double[] logits = [1e4, -1e4, 0, -1e4, 1e4, 0];
        var input = HostTensor.FromDoubles(dtype, new Shape(2, 3), logits);
        var grad = Gradients(x => F.CrossEntropy(x[0], x[1], reduction: "sum"), 1, input, I64([1, 1], 2))[0];
        AssertClose([1, -1, 0, 0, 0, 0], grad, 0, 0);
        var smoothed = Gradients(x => F.CrossEntropy(x[0], x[1], 0.3, "sum"), 1, input, I64([1, 1], 2))[0];
        // softmax − ((1 − ε)·onehot + ε/C)
        AssertClose([1 - 0.1, -0.7 - 0.1, -0.1, -0.1, 1 - 0.7 - 0.1, -0.1], smoothed, 1e-6, 1e-6);
    }

    [Fact]
    public void LogSoftmaxAndLogSumExpGradientsAreFinite()
    {
        var x = F64([1e4, -1e4, 0], 1, 3);
        var grad = Gradients(t => F.LogSumExp(t[0], 1).Sum(), 1, x)[0];
        AssertClose([1, 0, 0], grad, 0, 0);
        var logSoftmax = Gradients(t => (F.LogSoftmax(t[0], 1) * F.Constant(F64([0, 1, 0], 1, 3))).Sum(), 1, x)[0];
        AssertClose([-1, 1, 0], logSoftmax, 0, 0);
    }

    [Fact]
    public void BinaryCrossEntropyWithLogitsGradientIsSigmoidMinusTarget()
    {
        var grad = Gradients(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], "sum"), 1, F64([1e4, 1e4, -1e4, -1e4, 0, 0], 6), F64([1, 0, 1, 0, 1, 0], 6))[0];
        AssertClose([0, 1, -1, 0, -0.5, 0.5], grad, 0, 0);
    }

    [Fact]
    public void ActivationGradientsStayFiniteAtLargeInputs()
    {
        var x = F64([1e4, -1e4, 800, -800], 4);
        AssertClose([1, 0, 1, 0], Gradients(t => F.Softplus(t[0]).Sum(), 1, x)[0], 0, 0, "softplus");
        AssertClose([1, 0, 1, 0], Gradients(t => F.Elu(t[0]).Sum(), 1, x)[0], 0, 0, "elu");
        AssertClose([F.SeluScale, 0, F.SeluScale, 0], Gradients(t => F.Selu(t[0]).Sum(), 1, x)[0], 0, 0, "selu");
        AssertClose([1, 0, 1, 0], Gradients(t => F.Silu(t[0]).Sum(), 1, x)[0], 0, 0, "silu");
        AssertClose([1, 0, 1, 0], Gradients(t => F.Gelu(t[0], "tanh").Sum(), 1, x)[0], 0, 0, "gelu tanh");
        AssertClose([1, 0, 1, 0], Gradients(t => F.Gelu(t[0]).Sum(), 1, x)[0], 0, 0, "gelu");
    }

    [Fact]
    public void ActivationDerivativesAtZero()
    {
        var zero = F64([0], 1);
        AssertClose(0.01, Gradients(t => F.LeakyRelu(t[0]).Sum(), 1, zero)[0], 0, 0, "leaky_relu");
        AssertClose(0.5, Gradients(t => F.Relu(t[0]).Sum(), 1, zero)[0], 0, 0, "relu (max splits ties; documented, PyTorch has 0)");
        AssertClose(1, Gradients(t => F.Elu(t[0]).Sum(), 1, zero)[0], 0, 0, "elu");
        AssertClose(0.5, Gradients(t => F.Softplus(t[0]).Sum(), 1, zero)[0], 0, 1e-15, "softplus");
        AssertClose(0.5, Gradients(t => F.Gelu(t[0]).Sum(), 1, zero)[0], 0, 1e-15, "gelu");
    }

    [Fact]
    public void LogSumExpPoolingGradientIsTheWindowSoftmax()
    {
        var x = F64([1e4, -1e4, 0, -1e4], 1, 1, 2, 2);
        AssertClose([1, 0, 0, 0], Gradients(t => F.LogSumExpPool2d(t[0], 2).Sum(), 1, x)[0], 0, 0);
    }

    [Fact]
    public void DropoutGradientIsTheScaledMask()
    {
        var x = F64(Enumerable.Range(1, 16).Select(i => (double)i).ToArray(), 16);
        var inputs = new[] { x, Scalar(1), Scalar(0) };
        var y = One(t => F.Dropout(t[0], 0.25, t[1], t[2]), inputs).ToDoubleArray();
        var grad = Gradients(t => F.Dropout(t[0], 0.25, t[1], t[2]).Sum(), 1, inputs)[0].ToDoubleArray();
        Assert.Equal(y.Select(v => v == 0 ? 0 : 1 / 0.75), grad);
    }

    [Fact]
    public void EmbeddingGradientScattersIntoRowsAndSkipsThePaddingRow()
    {
        var weight = F64(new double[8], 4, 2);
        var indices = I64([1, 3, 1, 0], 4);
        var grad = Gradients(t => F.Embedding(t[1], t[0]).Sum(), 1, weight, indices)[0];
        AssertClose([1, 1, 2, 2, 0, 0, 1, 1], grad, 0, 0);
        var padded = Gradients(t => F.Embedding(t[1], t[0], paddingIdx: 1).Sum(), 1, weight, indices)[0];
        AssertClose([1, 1, 0, 0, 0, 0, 1, 1], padded, 0, 0);
    }
}
