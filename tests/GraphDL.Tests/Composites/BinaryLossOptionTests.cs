using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>
/// binary_cross_entropy with weight and binary_cross_entropy_with_logits with weight and pos_weight against PyTorch's
/// formulas in double; BCE's gradient at p = 0 and p = 1 (finite: the clamped logs' derivative is 0 where they clamp);
/// each on the interpreter and the compiled CPU backend.
/// </summary>
public class BinaryLossOptionTests
{
    private static readonly double[] P = [0.2, 0.9, 0.5, 0.05, 0.7, 0.35], Y = [1, 0, 0.3, 0, 1, 0.6];

    private static readonly double[] RowWeight = [0.5, 2, 1.5];

    private static double[] Reduce(double[] values, string reduction) => reduction switch
    {
        "mean" => [values.Average()],
        "sum" => [values.Sum()],
        _ => values,
    };

    private static HostTensor[] Gradients(Func<Tensor[], Tensor> loss, params HostTensor[] inputs) =>
        Run(Trace(x => GraphDL.Autodiff.Grad(loss(x), [x[0]]), inputs), inputs).ToArray();

    [Theory]
    [InlineData("mean")]
    [InlineData("sum")]
    [InlineData("none")]
    public void BinaryCrossEntropyWithWeight(string reduction)
    {
        // weight [3] broadcast over input [2, 3]: w[k] for element (i, k).
        var expected = Enumerable.Range(0, 6).Select(e => -RowWeight[e % 3] * (Y[e] * Math.Log(P[e]) + (1 - Y[e]) * Math.Log(1 - P[e]))).ToArray();
        AssertClose(Reduce(expected, reduction), One(x => F.BinaryCrossEntropy(x[0], x[1], reduction, x[2]), F64(P, 2, 3), F64(Y, 2, 3), F64(RowWeight, 3)), 1e-15, 1e-14);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("sum")]
    [InlineData("none")]
    public void BinaryCrossEntropyWithLogitsWithWeightAndPosWeight(string reduction)
    {
        double[] x = [-3, -0.5, 0.2, 0.5, 3, 12];
        double[] w = [0.5, 2], r = [3, 0.25, 1.5];
        double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        // −w·(r·y·log σ(x) + (1 − y)·log(1 − σ(x))): w [2, 1] broadcast down the rows, r [3] along the last dimension.
        var expected = Enumerable.Range(0, 6).Select(e =>
            -w[e / 3] * (r[e % 3] * Y[e] * Math.Log(Sigmoid(x[e])) + (1 - Y[e]) * Math.Log(1 - Sigmoid(x[e])))).ToArray();
        var actual = One(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], reduction, t[2], t[3]), F64(x, 2, 3), F64(Y, 2, 3), F64(w, 2, 1), F64(r, 3));
        AssertClose(Reduce(expected, reduction), actual, 1e-14, 1e-12);
        var onlyWeight = Enumerable.Range(0, 6).Select(e => -w[e / 3] * (Y[e] * Math.Log(Sigmoid(x[e])) + (1 - Y[e]) * Math.Log(1 - Sigmoid(x[e])))).ToArray();
        AssertClose(Reduce(onlyWeight, reduction), One(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], reduction, t[2]), F64(x, 2, 3), F64(Y, 2, 3), F64(w, 2, 1)), 1e-14, 1e-12);
    }

    [Fact]
    public void PosWeightIsExactAndItsGradientFiniteAtLogitsOf1e4()
    {
        double[] x = [1e4, 1e4, -1e4, -1e4], y = [1, 0, 1, 0], r = [3, 3, 3, 3];
        foreach (var dtype in new[] { DType.F64, DType.F32 })
        {
            HostTensor Float(double[] v) => HostTensor.FromDoubles(dtype, new Shape(4), v);
            // loss = (1 − y)·x − (1 + (r − 1)·y)·log σ(x); its gradient (1 − y) − (1 + (r − 1)·y)·σ(−x).
            AssertClose([0, 1e4, 3e4, 0], One(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], "none", posWeight: t[2]), Float(x), Float(y), Float(r)), 0, 0, $"{dtype}");
            AssertClose([0, 1, -3, 0], Gradients(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], "sum", posWeight: t[2]), Float(x), Float(y), Float(r))[0], 0, 0, $"{dtype} grad");
        }
    }

    [Fact]
    public void BinaryCrossEntropyHasFiniteGradientsAtZeroAndOne()
    {
        double[] p = [0, 0, 1, 1, 0.5, 0, 1], y = [0, 1, 0, 1, 0.3, 0.4, 0.4];
        // d/dp of −(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)): a clamped log contributes 0;
        // p = 0: (1 − y)/(1 − p) = 1 − y; p = 1: −y/p = −y; p = 0.5, y = 0.3: −0.6 + 1.4.
        double[] expected = [1, 0, 0, -1, 0.8, 0.6, -0.4];
        var inputs = new[] { F64(p, 7), F64(y, 7), F64([1, 2, 3, 4, 5, 6, 7], 7) };
        AssertClose(expected, Gradients(t => F.BinaryCrossEntropy(t[0], t[1], "sum"), inputs)[0], 1e-15, 1e-15);
        AssertClose(expected.Select((g, i) => g * (i + 1)).ToArray(), Gradients(t => F.BinaryCrossEntropy(t[0], t[1], "sum", t[2]), inputs)[0], 1e-15, 1e-15, "weighted");
        var loss = One(t => F.BinaryCrossEntropy(t[0], t[1], "none"), inputs);
        AssertClose([0, 100, 100, 0, -(0.3 * Math.Log(0.5) + 0.7 * Math.Log(0.5)), 40, 60], loss, 1e-15, 1e-15, "loss");
        // The second derivative is finite too (the where feeds log 1, not 0).
        var second = Run(Trace(t => GraphDL.Autodiff.Grad(GraphDL.Autodiff.Grad(F.BinaryCrossEntropy(t[0], t[1], "sum"), [t[0]])[0].Sum(), [t[0]]), inputs), inputs)[0];
        Assert.All(second.ToDoubleArray(), v => Assert.True(double.IsFinite(v), $"{v}"));
        // Compiled, f64 and f32.
        foreach (var dtype in new[] { DType.F64, DType.F32 })
        {
            var typed = inputs.Select(t => HostTensor.FromDoubles(dtype, t.Shape, t.ToDoubleArray())).ToArray();
            var compiled = ClassLossValueTests.Compiled(t => GraphDL.Autodiff.Grad(F.BinaryCrossEntropy(t[0], t[1], "sum", t[2]), [t[0]])[0], typed);
            AssertClose(expected.Select((g, i) => g * (i + 1)).ToArray(), compiled, 1e-6, 1e-6, $"compiled {dtype}");
        }
    }

    [Fact]
    public void CompiledWeightedLossesAgree()
    {
        double[] x = [-3, -0.5, 0.2, 0.5, 3, 12];
        var inputs = new[] { F64(x, 2, 3), F64(Y, 2, 3), F64([0.5, 2], 2, 1), F64([3, 0.25, 1.5], 3) };
        Func<Tensor[], Tensor> logits = t => F.BinaryCrossEntropyWithLogits(t[0], t[1], "none", t[2], t[3]);
        AssertClose(One(logits, inputs).ToDoubleArray(), ClassLossValueTests.Compiled(logits, inputs), 1e-14, 1e-13, "with logits");
        var probabilities = new[] { F64(P, 2, 3), F64(Y, 2, 3), F64(RowWeight, 3) };
        Func<Tensor[], Tensor> bce = t => F.BinaryCrossEntropy(t[0], t[1], "none", t[2]);
        AssertClose(One(bce, probabilities).ToDoubleArray(), ClassLossValueTests.Compiled(bce, probabilities), 1e-14, 1e-13, "bce");
    }

    [Fact]
    public void WeightsMustBroadcastToTheInput()
    {
        var p = F64(P, 2, 3);
        var error = Assert.Throws<ShapeException>(() => One(t => F.BinaryCrossEntropy(t[0], t[1], weight: t[2]), p, p, F64([1, 2], 2)));
        Assert.Equal("BinaryLossOptionTests.cs", error.Loc.File);
        Assert.Contains("weight must be a f64 tensor that broadcasts to the input's shape [2,3]", error.Message);
        Assert.Throws<ShapeException>(() => One(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], posWeight: t[2]), p, p, F64([1, 2, 3, 4], 4)));
        Assert.Throws<ShapeException>(() => One(t => F.BinaryCrossEntropyWithLogits(t[0], t[1], weight: t[2]), p, p, F32([1, 2, 3], 3)));
        // A weight that would broadcast the loss beyond the input's shape is an error, not a silently larger loss.
        Assert.Throws<ShapeException>(() => One(t => F.BinaryCrossEntropy(t[0], t[1], weight: t[2]), p, p, F64(new double[12], 2, 2, 3)));
    }
}
