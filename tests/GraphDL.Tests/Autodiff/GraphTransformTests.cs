using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes.Autodiff;
using GraphDL.Runtime;
using GraphDL.Tests.Text;

namespace GraphDL.Tests.Autodiff;

/// <summary>The graph-to-graph transforms: joint forward+backward graphs from a finished graph, checked numerically.</summary>
public class GraphTransformTests
{
    private static Graph Loss() => Trace.Function("loss", (x, w, b) => F.LogSumExp(x.MatMul(w) + b, axis: 1).Mean(),
        TensorSpec.Input(DType.F64, 3, 4), TensorSpec.Param(DType.F64, 4, 2), TensorSpec.Param(DType.F64, 2));

    private static HostTensor[] Inputs(Graph graph) => RandomInputs.For(graph, 5).ToArray();

    private static double Eval(Graph graph, HostTensor[] inputs) => ReferenceInterpreter.Run(graph, inputs)[0].GetDouble(0);

    [Fact]
    public void GradientGraphMatchesCentralDifferences()
    {
        var graph = Loss();
        var joint = GradientTransforms.Gradient(graph, ["w", "b"]);
        Assert.Equal(["out0", "grad.w", "grad.b"], joint.Outputs.Select((_, i) => joint.OutputName(i)));
        var inputs = Inputs(graph);
        var outputs = ReferenceInterpreter.Run(joint, inputs);
        Assert.Equal(Eval(graph, inputs), outputs[0].GetDouble(0));
        for (int k = 1; k <= 2; k++)
        {
            var x = inputs[k];
            for (long j = 0; j < x.ElementCount; j++)
            {
                var values = x.ToDoubleArray();
                values[j] += 1e-6;
                var plus = inputs.ToArray();
                plus[k] = HostTensor.FromDoubles(DType.F64, x.Shape, values);
                values[j] -= 2e-6;
                var minus = inputs.ToArray();
                minus[k] = HostTensor.FromDoubles(DType.F64, x.Shape, values);
                double numeric = (Eval(graph, plus) - Eval(graph, minus)) / 2e-6;
                Assert.Equal(numeric, outputs[k].GetDouble(j), 1e-7);
            }
        }
    }

    [Fact]
    public void JointGraphsPrintParseAndKeepSourceLines()
    {
        var joint = GradientTransforms.Gradient(Loss(), ["w"]);
        RoundTripTests.AssertRoundTrips(joint);
        var forwardLines = Loss().Nodes.Select(n => n.Loc).Where(l => l.IsKnown).ToHashSet();
        var backward = joint.Nodes.Skip(Loss().Nodes.Count).ToArray();
        Assert.NotEmpty(backward);
        Assert.All(backward.Where(n => n.Loc.IsKnown), n => Assert.Contains(n.Loc, forwardLines));
        Assert.Equal(GirParser.Parse(joint.ToString()).ToString(), joint.ToString());
    }

    [Fact]
    public void VjpAndJvpGraphsSatisfyTheDotProductTest()
    {
        var graph = Trace.Function("f", (x, w) => (x.MatMul(w)).Tanh(), TensorSpec.Input(DType.F64, 2, 3), TensorSpec.Param(DType.F64, 3, 2));
        var vjp = GradientTransforms.Vjp(graph, ["x", "w"]);
        var jvp = GradientTransforms.Jvp(graph, ["x", "w"]);
        Assert.Equal(["x", "w", "cotangent.out0"], vjp.Inputs.Select(i => i.Name));
        Assert.Equal(["x", "w", "tangent.x", "tangent.w"], jvp.Inputs.Select(i => i.Name));
        var random = new Random(3);
        var x = RandomInputs.Sample(graph.Inputs[0].Type, random);
        var w = RandomInputs.Sample(graph.Inputs[1].Type, random);
        var u = RandomInputs.Sample(graph.Outputs[0].Value.Type, random);
        var tx = RandomInputs.Sample(x.Type, random);
        var tw = RandomInputs.Sample(w.Type, random);
        var back = ReferenceInterpreter.Run(vjp, [x, w, u]);
        var forward = ReferenceInterpreter.Run(jvp, [x, w, tx, tw]);
        static double Dot(HostTensor a, HostTensor b) => Enumerable.Range(0, (int)a.ElementCount).Sum(i => a.GetDouble(i) * b.GetDouble(i));
        Assert.Equal(Dot(u, forward[1]), Dot(back[1], tx) + Dot(back[2], tw), 1e-12);
    }

    [Fact]
    public void IntegerInputsCannotBeDifferentiated()
    {
        var graph = Trace.Function("g", (x, i) => x.Gather(0, i).Sum(), TensorSpec.Input(DType.F64, 4), TensorSpec.Input(DType.I64, 2));
        var error = Assert.Throws<ArgumentException>(() => GradientTransforms.Gradient(graph, ["i"]));
        Assert.Contains("only float values have gradients", error.Message, StringComparison.Ordinal);
        var joint = GradientTransforms.Gradient(graph, ["x"]);
        var grad = ReferenceInterpreter.Run(joint, [HostTensor.FromArray([1.0, 2, 3, 4], 4), HostTensor.FromArray([3L, 3L], 2)])[1];
        Assert.Equal([0.0, 0, 0, 2], grad.ToDoubleArray());
    }
}
