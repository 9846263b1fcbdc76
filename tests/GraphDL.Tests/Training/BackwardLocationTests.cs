using GraphDL.IR;
using static GraphDL.Tests.Training.TrainingTestUtil;

namespace GraphDL.Tests.Training;

using Autodiff = GraphDL.Autodiff;

/// <summary>Backward nodes carry the source line of the forward op they differentiate (lines of this file).</summary>
public class BackwardLocationTests
{
    private const string ThisFile = "BackwardLocationTests.cs";

    [Fact]
    public void BackwardNodesPointAtTheForwardLines()
    {
        int lineMul = 0, lineExp = 0, lineAdd = 0, lineSum = 0, lineGrad = 0, forwardCount = 0;
        var graph = Trace.Function("f", (x, b) =>
        {
            var a = x * x; lineMul = Line();
            var e = a.Exp(); lineExp = Line();
            var s = e + b; lineAdd = Line();
            var loss = s.Sum(); lineSum = Line();
            forwardCount = loss.Builder.Nodes.Count;
            var grad = Autodiff.Grad(loss, [x, b]); lineGrad = Line();
            return grad[0] + grad[1];
        }, TensorSpec.Input(DType.F64, 2, 3), TensorSpec.Input(DType.F64, 3));

        var forward = graph.Nodes.Take(forwardCount).ToArray();
        var backward = graph.Nodes.Skip(forwardCount).SkipLast(2).ToArray(); // the final broadcast and add are the return line
        Assert.NotEmpty(backward);
        Assert.All(forward.Concat(backward), n => Assert.Equal(ThisFile, n.Loc.File));
        var forwardLines = new[] { lineMul, lineExp, lineAdd, lineSum };
        Assert.All(forward, n => Assert.Contains(n.Loc.Line, forwardLines));
        Assert.All(backward, n => Assert.True(forwardLines.Contains(n.Loc.Line) || n.Loc.Line == lineGrad,
            $"backward node {n.Op.Name} has line {n.Loc.Line}; forward lines are {string.Join(", ", forwardLines)}, the grad call {lineGrad}"));
        // Every forward line with a differentiable op gets backward nodes: the sum's broadcast, exp's and mul's products, add's reduction.
        foreach (int line in forwardLines)
        {
            Assert.Contains(backward, n => n.Loc.Line == line);
        }
        Assert.Contains(backward, n => n.Loc.Line == lineSum && n.Op.Name == "broadcast_in_dim");
        Assert.Contains(backward, n => n.Loc.Line == lineExp && n.Op.Name == "mul");
        Assert.Contains(backward, n => n.Loc.Line == lineMul && n.Op.Name == "mul");
        Assert.Contains(backward, n => n.Loc.Line == lineAdd && n.Op.Name == "reduce_sum");
        // The printed form shows the same lines.
        Assert.Contains($"loc(\"{ThisFile}\":{lineExp})", graph.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TrainStepBackwardNodesPointAtTheModelsLines()
    {
        var model = new OptimizerTests.Vector3([1, 2, 3]);
        var sample = F64([1, 1, 1], 3);
        using var step = Compiler.TrainStep(model, OptimizerTests.Loss, new Sgd(0.1), sample, sample);
        var lossLines = step.Graph.Nodes.Where(n => n.Loc.File == "OptimizerTests.cs").Select(n => n.Loc.Line).Distinct().ToArray();
        Assert.Single(lossLines);
        // Forward and backward nodes of the loss all point at the one line of OptimizerTests.Loss; the mul backward nodes are there too.
        Assert.True(step.Graph.Nodes.Count(n => n.Loc.File == "OptimizerTests.cs" && n.Op.Name == "mul") > 3);
    }
}
