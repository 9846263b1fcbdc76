using GraphDL.IR;
using GraphDL.Runtime;
using GraphDL.Tests.Text;

namespace GraphDL.Tests.Frontend;

/// <summary>Tracing C# into IR: structure, promotion, broadcasting, source lines, errors and numbers.</summary>
public class TracingTests
{
    private const string ThisFile = "TracingTests.cs";

    private static Graph Mlp() => Trace.Function("mlp", (x, w1, b1, w2, b2) =>
        {
            var h = F.Relu(x.MatMul(w1) + b1);
            return h.MatMul(w2) + b2;
        },
        TensorSpec.Input(DType.F32, 4, 6), TensorSpec.Param(DType.F32, 6, 5), TensorSpec.Param(DType.F32, 5),
        TensorSpec.Param(DType.F32, 5, 3), TensorSpec.Param(DType.F32, 3));

    [Fact]
    public void InputsAreNamedAfterLambdaParametersWithRoles()
    {
        var graph = Mlp();
        Assert.Equal(["x", "w1", "b1", "w2", "b2"], graph.Inputs.Select(i => i.Name));
        Assert.Equal([InputRole.Input, InputRole.Param, InputRole.Param, InputRole.Param, InputRole.Param], graph.Inputs.Select(i => i.Role));
        Assert.Equal(new TensorType(DType.F32, 4, 3), graph.Outputs.Single().Value.Type);
    }

    [Fact]
    public void BroadcastingInsertsBroadcastInDim()
    {
        var graph = Mlp();
        var broadcasts = graph.Nodes.Where(n => n.Op.Name == "broadcast_in_dim").ToArray();
        Assert.Equal(2, broadcasts.Length);
        Assert.Equal([1], broadcasts[0].Attributes.Ints("dims"));
        Assert.Equal([4, 5], broadcasts[0].Attributes.Ints("shape"));
        Assert.Contains("%3 = max(%2, 0.0) : f32[4,5]", graph.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryNodeCarriesTheUsersLineThroughMethodsOperatorsAndComposites()
    {
        int line = 0;
        var graph = Trace.Function("f", (x, y) =>
        {
            line = Line(); var a = x * y;             // operator: found on the stack
            var b = F.Softmax(a, axis: 1);            // composite: every node gets this line
            return b.Sum(0) - 1.0;
        }, TensorSpec.Input(DType.F32, 2, 3), TensorSpec.Input(DType.F32, 2, 3));
        Assert.All(graph.Nodes, n => Assert.Equal(ThisFile, n.Loc.File));
        Assert.Equal(line, graph.Nodes[0].Loc.Line);
        var softmaxLines = graph.Nodes.Skip(1).Take(graph.Nodes.Count - 3).Select(n => n.Loc.Line).Distinct();
        Assert.Equal([line + 1], softmaxLines);
        Assert.Equal(line + 2, graph.Nodes[^1].Loc.Line);
        Assert.Contains($"loc(\"{ThisFile}\":{line + 1})", graph.ToString(), StringComparison.Ordinal);
    }

    private static int Line([System.Runtime.CompilerServices.CallerLineNumber] int line = 0) => line;

    [Fact]
    public void ShapeErrorFromAnOperatorNamesBothShapesAndTheUsersLine()
    {
        int line = 0;
        var error = Assert.Throws<ShapeException>(() => Trace.Function("bad", (a, b) =>
        {
            line = Line(); return a + b;
        }, TensorSpec.Input(DType.F32, 64, 128), TensorSpec.Input(DType.F32, 64, 10)));
        Assert.Contains("[64,128] and [64,10]", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{ThisFile}:{line}: error: add:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShapeErrorFromAMethodNamesBothTypesAndTheUsersLine()
    {
        int line = 0;
        var error = Assert.Throws<ShapeException>(() => Trace.Function("bad", (x, w) =>
        {
            line = Line(); return x.MatMul(w);
        }, TensorSpec.Input(DType.F32, 64, 784), TensorSpec.Param(DType.F32, 100, 128)));
        Assert.Contains("f32[64,784]", error.Message, StringComparison.Ordinal);
        Assert.Contains("f32[100,128]", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{ThisFile}:{line}: error: matmul:", error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLoc(ThisFile, line), error.Loc);
    }

    [Theory]
    [InlineData(DType.F16, DType.F32, DType.F32)]
    [InlineData(DType.F16, DType.BF16, DType.F32)]
    [InlineData(DType.I32, DType.I64, DType.I64)]
    [InlineData(DType.I64, DType.F16, DType.F16)]
    [InlineData(DType.Bool, DType.I32, DType.I32)]
    [InlineData(DType.F64, DType.F32, DType.F64)]
    public void PromotionFollowsTheDocumentedLattice(DType a, DType b, DType expected)
    {
        var graph = Trace.Function("p", (x, y) => x * y, TensorSpec.Input(a, 2), TensorSpec.Input(b, 2));
        Assert.Equal(expected, graph.Outputs[0].Value.Type.DType);
        Assert.Equal(expected, Promotion.Promote(b, a));
    }

    [Fact]
    public void ScalarsAreWeak()
    {
        Assert.Equal(DType.F16, Trace.Function("s", x => x * 2.0, TensorSpec.Input(DType.F16, 2)).Outputs[0].Value.Type.DType);
        Assert.Equal(DType.I32, Trace.Function("s", x => x + 3L, TensorSpec.Input(DType.I32, 2)).Outputs[0].Value.Type.DType);
        Assert.Equal(DType.F32, Trace.Function("s", x => x * 0.5, TensorSpec.Input(DType.I32, 2)).Outputs[0].Value.Type.DType);
        Assert.Equal(DType.F32, Trace.Function("s", (x, y) => x / y, TensorSpec.Input(DType.I32, 2), TensorSpec.Input(DType.I32, 2)).Outputs[0].Value.Type.DType);
    }

    [Fact]
    public void MlpComputesWhatTheFormulaSays()
    {
        var graph = Mlp();
        var inputs = RandomInputs.For(graph, 11);
        var actual = ReferenceInterpreter.Run(graph, inputs)[0];
        double[] x = inputs[0].ToDoubleArray(), w1 = inputs[1].ToDoubleArray(), b1 = inputs[2].ToDoubleArray(),
            w2 = inputs[3].ToDoubleArray(), b2 = inputs[4].ToDoubleArray();
        var expected = new double[12];
        for (int i = 0; i < 4; i++)
        {
            var h = new double[5];
            for (int j = 0; j < 5; j++)
            {
                double s = 0;
                for (int k = 0; k < 6; k++)
                {
                    s += (float)x[i * 6 + k] * (float)w1[k * 5 + j];
                }
                h[j] = Math.Max((float)((float)s + (float)b1[j]), 0);
            }
            for (int j = 0; j < 3; j++)
            {
                double s = 0;
                for (int k = 0; k < 5; k++)
                {
                    s += h[k] * w2[k * 3 + j];
                }
                expected[i * 3 + j] = (float)((float)s + (float)b2[j]);
            }
        }
        var mismatch = actual.FirstMismatch(HostTensor.FromDoubles(DType.F32, new Shape(4, 3), expected), 1e-6, 1e-6);
        Assert.Null(mismatch);
    }

    [Fact]
    public void ReshapeInfersMinusOneAndRejectsBadSizes()
    {
        var graph = Trace.Function("r", x => x.Reshape(3, -1), TensorSpec.Input(DType.F32, 2, 6));
        Assert.Equal(new Shape(3, 4), graph.Outputs[0].Value.Type.Shape);
        var error = Assert.Throws<ShapeException>(() => Trace.Function("r", x => x.Reshape(5, -1), TensorSpec.Input(DType.F32, 2, 6)));
        Assert.Contains("cannot reshape f32[2,6]", error.Message, StringComparison.Ordinal);
        Assert.Contains(ThisFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorsCannotEscapeTheirTrace()
    {
        Tensor? leaked = null;
        Trace.Function("a", x => leaked = x.Exp(), TensorSpec.Input(DType.F32, 2));
        var error = Assert.Throws<InvalidOperationException>(() => leaked!.Exp());
        Assert.Contains("has ended", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TracedModelsRoundTrip()
    {
        RoundTripTests.AssertRoundTrips(Mlp());
        RoundTripTests.AssertRoundTrips(SmallCnn());
        RoundTripTests.AssertRoundTrips(SoftmaxCrossEntropy());
    }

    internal static Graph SmallCnn() => Trace.Function("cnn", (x, k, w) =>
        {
            var h = F.Relu(F.Conv2d(x, k, padding: 1));
            h = F.MaxPool2d(h, 2);
            return F.LogSoftmax(h.Reshape(2, -1).MatMul(w), axis: 1);
        },
        TensorSpec.Input(DType.F32, 2, 1, 8, 8), TensorSpec.Param(DType.F32, 4, 1, 3, 3), TensorSpec.Param(DType.F32, 64, 10));

    internal static Graph SoftmaxCrossEntropy() => Trace.Function("softmax_ce", (logits, labels) => F.CrossEntropy(logits, labels),
        TensorSpec.Input(DType.F32, 8, 10), TensorSpec.Input(DType.I64, 8));

    [Fact]
    public void CrossEntropyMatchesTheFormulaAndIsStableForHugeLogits()
    {
        var graph = SoftmaxCrossEntropy();
        var logits = new float[80];
        var labels = new long[8];
        for (int i = 0; i < 8; i++)
        {
            labels[i] = (i * 3) % 10;
            for (int c = 0; c < 10; c++)
            {
                logits[i * 10 + c] = (float)((i + 1) * Math.Sin(c + i)) * (i == 7 ? 1e4f : 1f);
            }
        }
        var loss = ReferenceInterpreter.Run(graph, [HostTensor.FromArray(logits, 8, 10), HostTensor.FromArray(labels, 8)])[0].GetDouble(0);
        double expected = 0;
        for (int i = 0; i < 8; i++)
        {
            double max = Enumerable.Range(0, 10).Max(c => (double)logits[i * 10 + c]);
            double lse = max + Math.Log(Enumerable.Range(0, 10).Sum(c => Math.Exp(logits[i * 10 + c] - max)));
            expected += lse - logits[i * 10 + labels[i]];
        }
        expected /= 8;
        Assert.True(double.IsFinite(loss));
        Assert.Equal(expected, loss, expected * 1e-5);
    }
}
