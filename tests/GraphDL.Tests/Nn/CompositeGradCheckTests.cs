using GraphDL.IR;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>Gradcheck (f64 central differences, orders 1 and 2, forward and reverse mode) of the nn composites.</summary>
public class CompositeGradCheckTests
{
    private static void Check(Func<Tensor[], Tensor> f, params HostTensor[] inputs)
    {
        foreach (int order in new[] { 1, 2 })
        {
            var result = GradCheck.Check(f, inputs, order, GradCheckModes.Both);
            Assert.True(result.Passed, $"order {order}: {result}");
        }
    }

    [Fact]
    public void LayerNorm() =>
        Check(a => F.LayerNorm(a[0], [3], a[1], a[2]), RandomF64(100, 2, 3), RandomF64(101, 3), RandomF64(102, 3));

    [Fact]
    public void LayerNormOverTwoDimsWithoutAffine() =>
        Check(a => F.LayerNorm(a[0], [2, 2], eps: 0.1), RandomF64(103, 2, 2, 2));

    [Fact]
    public void BatchNormTraining()
    {
        var runningMean = F64([0.1, -0.2], 2);
        var runningVar = F64([1.5, 0.5], 2);
        Check(a => F.BatchNorm(a[0], F.Constant(runningMean), F.Constant(runningVar), a[1], a[2], training: true).Output,
            RandomF64(104, 3, 2), RandomF64(105, 2), RandomF64(106, 2));
    }

    [Fact]
    public void BatchNormTrainingOverSpatialAxes()
    {
        var runningMean = F64([0, 0], 2);
        var runningVar = F64([1, 1], 2);
        Check(a => F.BatchNorm(a[0], F.Constant(runningMean), F.Constant(runningVar), training: true, eps: 0.01).Output, RandomF64(107, 2, 2, 1, 2));
    }

    [Fact]
    public void BatchNormRunningStatisticsCarryNoGradient()
    {
        var graph = Trace.Function("f", a =>
        {
            var (_, mean, variance) = F.BatchNorm(a[0], a[1], a[2], training: true);
            var total = mean.Sum() + variance.Sum();
            return GraphDL.Autodiff.Grad(total, [a[0], a[1], a[2]]);
        }, TensorSpec.Input(DType.F64, 3, 2), TensorSpec.Input(DType.F64, 2), TensorSpec.Input(DType.F64, 2));
        var grads = Runtime.ReferenceInterpreter.Run(graph, [RandomF64(108, 3, 2), F64([0, 0], 2), F64([1, 1], 2)]);
        Assert.All(grads[0].ToDoubleArray(), g => Assert.Equal(0, g));
        Assert.All(grads[1].ToDoubleArray(), g => Assert.Equal(0.9, g, 12));
        Assert.All(grads[2].ToDoubleArray(), g => Assert.Equal(0.9, g, 12));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Attention(bool causal) =>
        Check(a => F.ScaledDotProductAttention(a[0], a[1], a[2], causal), RandomF64(110, 3, 2), RandomF64(111, 3, 2), RandomF64(112, 3, 2));

    [Fact]
    public void AttentionBatchedWithAFloatMask() =>
        Check(a => F.ScaledDotProductAttention(a[0], a[1], a[2], mask: a[3]),
            RandomF64(113, 2, 2, 2), RandomF64(114, 2, 3, 2), RandomF64(115, 2, 3, 1), RandomF64(116, 2, 3));

    [Theory]
    [InlineData("tanh")]
    [InlineData("relu")]
    public void RnnCell(string nonlinearity) =>
        Check(a => F.RnnCell(a[0], a[1], a[2], a[3], a[4], a[5], nonlinearity),
            RandomF64(120, 2, 2), RandomF64(121, 2, 2), RandomF64(122, 2, 2), RandomF64(123, 2, 2), RandomF64(124, 2), RandomF64(125, 2));

    [Fact]
    public void GruCell() =>
        Check(a => F.GruCell(a[0], a[1], a[2], a[3], a[4], a[5]),
            RandomF64(130, 1, 2), RandomF64(131, 1, 2), RandomF64(132, 6, 2), RandomF64(133, 6, 2), RandomF64(134, 6), RandomF64(135, 6));

    [Fact]
    public void LstmCell() =>
        Check(a =>
        {
            var (h, c) = F.LstmCell(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            return F.Concat([h, c], -1);
        }, RandomF64(140, 1, 2), RandomF64(141, 1, 2), RandomF64(142, 1, 2), RandomF64(143, 8, 2), RandomF64(144, 8, 2), RandomF64(145, 8), RandomF64(146, 8));

    /// <summary>The Conv2d module's computation: F.Conv2d plus the per-channel bias it broadcasts (the module itself is checked in <see cref="ModuleGradientTests"/>).</summary>
    [Fact]
    public void Conv2dWithBias()
    {
        var conv = new Conv2d(2, 2, 2, padding: 1, dtype: DType.F64);
        Check(a => F.Conv2d(a[0], a[1], padding: 1) + a[2].Reshape(2, 1, 1), RandomF64(150, 1, 2, 3, 3), conv.StateDict()["weight"], conv.StateDict()["bias"]);
    }
}
