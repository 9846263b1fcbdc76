using System.Runtime.CompilerServices;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Passes.Autodiff;
using static GraphDL.Tests.Training.TrainingTestUtil;

namespace GraphDL.Tests.Training;

using Autodiff = GraphDL.Autodiff;

/// <summary>A primitive without a derivative rule fails autodiff with an error naming the op, the user's line and the file to edit.</summary>
public class MissingRuleTests
{
    private const string ThisFile = "MissingRuleTests.cs";

    /// <summary>A test-only primitive (2x) that has no VJP or JVP rule. The registry only scans the IR assembly, so it stays private to these tests.</summary>
    internal sealed class NoRuleOp : UnaryElementwiseOp
    {
        public static readonly NoRuleOp Instance = new();

        public override string Name => "test_no_rule";

        public override DTypeClass Accepts => DTypeClass.Float;

        public override double ApplyFloat(double x) => 2 * x;
    }

    /// <summary>The DSL call for <see cref="NoRuleOp"/>, stamped with the caller's line like every GraphDL method.</summary>
    private static Tensor NoRule(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x.Emit(NoRuleOp.Instance);
    }

    [Fact]
    public void GradThroughAnOpWithoutAVjpRuleNamesTheOpAndTheUsersLine()
    {
        int line = 0;
        var error = Assert.Throws<MissingRuleException>(() => Trace.Function("f", x =>
        {
            var y = x * x;
            line = Line(); var z = NoRule(y);
            return Autodiff.Grad(z.Sum(), [x])[0];
        }, TensorSpec.Input(DType.F64, 3)));
        Assert.Equal("test_no_rule", error.OpName);
        Assert.Equal("VJP", error.Rule);
        Assert.Equal($"{ThisFile}:{line}: error: test_no_rule has no VJP rule; add it in src/IR/Ops/NoRuleOp.cs", error.Message);
    }

    [Fact]
    public void JvpThroughAnOpWithoutAJvpRuleNamesTheOpAndTheUsersLine()
    {
        int line = 0;
        var error = Assert.Throws<MissingRuleException>(() => Trace.Function("f", (x, v) =>
        {
            line = Line(); var z = NoRule(x);
            return Autodiff.Jvp(z, [x], [v]);
        }, TensorSpec.Input(DType.F64, 3), TensorSpec.Input(DType.F64, 3)));
        Assert.Equal("JVP", error.Rule);
        Assert.StartsWith($"{ThisFile}:{line}: error: test_no_rule has no JVP rule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackpropagateNamesTheNodesLocation()
    {
        var builder = new GraphBuilder("g");
        var x = builder.AddInput("x", new TensorType(DType.F32, 2));
        Node y;
        using (builder.At(new SourceLoc("Model.cs", 42)))
        {
            y = builder.Emit(NoRuleOp.Instance, x);
        }
        var seed = builder.Full([2], Scalar.FromDouble(DType.F32, 1));
        var error = Assert.Throws<MissingRuleException>(() => ReverseMode.Backpropagate(builder, builder.Nodes.ToArray(), [(y, seed)], [x]));
        Assert.Equal("Model.cs:42: error: test_no_rule has no VJP rule; add it in src/IR/Ops/NoRuleOp.cs", error.Message);

        // Without a known location the message still names the op and the file to edit.
        var unknown = new GraphBuilder("h");
        var u = unknown.AddInput("u", new TensorType(DType.F32, 2));
        var v = unknown.Emit(NoRuleOp.Instance, u);
        var seed2 = unknown.Full([2], Scalar.FromDouble(DType.F32, 1));
        error = Assert.Throws<MissingRuleException>(() => ReverseMode.Backpropagate(unknown, unknown.Nodes.ToArray(), [(v, seed2)], [u]));
        Assert.Equal("error: test_no_rule has no VJP rule; add it in src/IR/Ops/NoRuleOp.cs", error.Message);
    }

    [Fact]
    public void AnOpWithoutARuleOffThePathToTheLossIsFine()
    {
        // The rule-less op only touches c, which is not differentiated: no error, and ∂/∂x Σ x·f(c) = f(c) = 2c.
        var graph = Trace.Function("f", (x, c) => Autodiff.Grad((x * NoRule(c)).Sum(), [x])[0],
            TensorSpec.Input(DType.F64, 3), TensorSpec.Input(DType.F64, 3));
        Assert.Contains(graph.Nodes, n => n.Op == NoRuleOp.Instance);
    }

    [Fact]
    public void AnOpWithoutARuleUnderNoGradIsFine()
    {
        var graph = Trace.Function("f", x =>
        {
            Tensor scale;
            using (Autodiff.NoGrad())
            {
                scale = NoRule(x);
            }
            return Autodiff.Grad((x * scale).Sum(), [x])[0];
        }, TensorSpec.Input(DType.F64, 3));
        Assert.Contains(graph.Nodes, n => n.Op == NoRuleOp.Instance);
    }
}
