using GraphDL.IR;
using GraphDL.Tests.Composites;
using static GraphDL.Tests.Nn.NnTestKit;

namespace GraphDL.Tests.Nn;

/// <summary>Gradcheck (f64 central differences, orders 1 and 2, forward and reverse mode) of the nn composites.</summary>
public class CompositeGradCheckTests
{
    private static readonly Dictionary<string, CompositeGradSample> Samples = new NnCompositeGradSamples().Samples().ToDictionary(s => s.Id);

    public static TheoryData<string> SampleIds => new(Samples.Keys);

    /// <summary>Order 2 checks the first derivatives too (GradCheck runs the order-1 checks first).</summary>
    private static void Check(Func<Tensor[], Tensor> f, params HostTensor[] inputs)
    {
        var result = GradCheck.Check(f, inputs, order: 2, GradCheckModes.Both);
        Assert.True(result.Passed, result.ToString());
        Assert.True(result.Comparisons > 0);
    }

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void FirstAndSecondOrderInBothModes(string id) => Check(Samples[id].Function, Samples[id].Inputs);

    [Fact]
    public void BatchNormRunningStatisticsCarryNoGradient()
    {
        var graph = Trace.Function("f", a =>
        {
            var (_, mean, variance) = F.BatchNorm(a[0], a[1], a[2], training: true);
            var total = mean.Sum() + variance.Sum();
            return GraphDL.Autodiff.Grad(total, [a[0], a[1], a[2]]);
        }, TensorSpec.Input(DType.F64, 3, 2), TensorSpec.Input(DType.F64, 2), TensorSpec.Input(DType.F64, 2));
        var grads = ReferenceInterpreter.Run(graph, [RandomF64(108, 3, 2), F64([0, 0], 2), F64([1, 1], 2)]);
        Assert.All(grads[0].ToDoubleArray(), g => Assert.Equal(0, g));
        Assert.All(grads[1].ToDoubleArray(), g => Assert.Equal(0.9, g, 12));
        Assert.All(grads[2].ToDoubleArray(), g => Assert.Equal(0.9, g, 12));
    }

    /// <summary>The Conv2d module's computation, F.Conv2d with its bias, on the module's initial parameters (the module itself is checked in <see cref="ModuleGradientTests"/>).</summary>
    [Fact]
    public void Conv2dModuleComputation()
    {
        var conv = new Conv2d(2, 2, 2, padding: 1, dtype: DType.F64);
        Check(a => F.Conv2d(a[0], a[1], a[2], padding: 1), RandomF64(150, 1, 2, 3, 3), conv.StateDict()["weight"], conv.StateDict()["bias"]);
    }
}
