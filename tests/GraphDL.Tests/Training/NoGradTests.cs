using GraphDL.IR;
using static GraphDL.Tests.Training.TrainingTestUtil;

namespace GraphDL.Tests.Training;

using Autodiff = GraphDL.Autodiff;

/// <summary>Autodiff.NoGrad and inference graphs build no backward nodes; a value computed under NoGrad has no gradient.</summary>
public class NoGradTests
{
    private static readonly TensorSpec W = TensorSpec.Input(DType.F64, 3).Named("w");

    /// <summary>Nodes Autodiff.Grad adds when part of the loss is (or is not) computed under NoGrad.</summary>
    private static (Graph Forward, Graph Joint) Build(bool noGrad)
    {
        Tensor Loss(Tensor w)
        {
            Tensor extra;
            if (noGrad)
            {
                using (Autodiff.NoGrad())
                {
                    extra = (w * w * w).Exp().Sum();
                }
            }
            else
            {
                extra = (w * w * w).Exp().Sum();
            }
            return (w * w).Sum() + extra;
        }
        var forward = Trace.Function("forward", w => Loss(w), W);
        var joint = Trace.Function("joint", w => Autodiff.Grad(Loss(w), [w])[0], W);
        return (forward, joint);
    }

    [Fact]
    public void NoGradRegionGetsNoBackwardNodesAndActsAsAConstant()
    {
        var (plainForward, plainJoint) = Build(noGrad: false);
        var (noGradForward, noGradJoint) = Build(noGrad: true);
        Assert.Equal(plainForward.Nodes.Count, noGradForward.Nodes.Count);
        int plainBackward = plainJoint.Nodes.Count - plainForward.Nodes.Count;
        int noGradBackward = noGradJoint.Nodes.Count - noGradForward.Nodes.Count;
        Assert.True(noGradBackward < plainBackward, $"{noGradBackward} backward nodes with NoGrad, {plainBackward} without");

        // The same count as a loss where the NoGrad term is replaced by an input: nothing is built for the NoGrad part.
        var forwardWithInput = Trace.Function("f", (w, c) => (w * w).Sum() + c, W, TensorSpec.Input(DType.F64));
        var jointWithInput = Trace.Function("g", (w, c) => Autodiff.Grad((w * w).Sum() + c, [w])[0], W, TensorSpec.Input(DType.F64));
        Assert.Equal(jointWithInput.Nodes.Count - forwardWithInput.Nodes.Count, noGradBackward);
        // No backward node reads a node of the NoGrad region.
        var noGradNodes = noGradJoint.Nodes.Take(noGradForward.Nodes.Count).Where(n => n.Op.Name is "exp").ToHashSet();
        Assert.DoesNotContain(noGradJoint.Nodes.Skip(noGradForward.Nodes.Count), n => n.Operands.Any(o => o is Node m && noGradNodes.Contains(m)));

        // Gradient: 2w only (the w³ term is a constant).
        var w = F64([0.5, -1.0, 2.0], 3);
        AssertClose([1.0, -2.0, 4.0], Run(noGradJoint, w)[0], "grad");
    }

    [Fact]
    public void InferenceGraphHasExactlyTheForwardNodes()
    {
        Init.ManualSeed(1);
        var model = new Sequential(new Linear(4, 5, dtype: DType.F64), new ReLU(), new Linear(5, 2, dtype: DType.F64));
        var sample = HostTensor.Zeros(new TensorType(DType.F64, 3, 4));
        using var inference = Compiler.Inference(model, sample);
        var forward = Trace.Function("forward", x => model.Forward(x), TensorSpec.Input(DType.F64, 3, 4));
        Assert.Equal(forward.Nodes.Select(n => n.Op.Name), inference.Graph.Nodes.Select(n => n.Op.Name));
        Assert.Single(inference.Graph.Outputs);
        Assert.All(inference.Graph.Outputs, o => Assert.Null(o.Aliases));
        Assert.True(model.Training, "Inference restores training mode");
    }

    [Fact]
    public void GradOfAValueComputedUnderNoGradIsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Trace.Function("f", w =>
        {
            Tensor loss;
            using (Autodiff.NoGrad())
            {
                loss = (w * w).Sum();
            }
            return Autodiff.Grad(loss, [w])[0];
        }, W));
        Assert.Contains("NoGrad", error.Message, StringComparison.Ordinal);
        Assert.Contains("no gradient", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoGradOutsideATraceIsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Autodiff.NoGrad());
        Assert.Contains("Trace.Function", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoGradEndsWithItsScope()
    {
        // After the using block, values are differentiable again: the gradient of Σ w² computed after NoGrad is 2w.
        var graph = Trace.Function("f", w =>
        {
            using (Autodiff.NoGrad())
            {
                _ = (w * 3.0).Sum();
            }
            return Autodiff.Grad((w * w).Sum(), [w])[0];
        }, W);
        AssertClose([2.0, 4.0, 6.0], Run(graph, F64([1, 2, 3], 3))[0], "grad");
    }
}
