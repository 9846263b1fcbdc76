using GraphDL.IR;

namespace GraphDL.Passes.Autodiff;

/// <summary>
/// The reverse-mode pass of a training pipeline: from a forward graph whose first output is the loss, the joint
/// forward+backward graph with one <c>grad.NAME</c> output per differentiated input (see
/// <see cref="GradientTransforms.Gradient"/>). Its dump shows exactly what autodiff added.
/// </summary>
public sealed class AutodiffPass(IReadOnlyList<string> wrt, int lossOutput = 0, IReadOnlySet<Node>? constants = null) : IPass
{
    public string Name => "autodiff";

    public string Description => "reverse-mode autodiff: append the gradient of the loss w.r.t. the parameters";

    public Graph Run(Graph graph) => GradientTransforms.Gradient(graph, wrt, lossOutput, constants, graph.Name);
}
