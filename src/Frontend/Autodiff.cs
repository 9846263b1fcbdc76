using System.Runtime.CompilerServices;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Passes.Autodiff;

namespace GraphDL;

/// <summary>
/// Differentiation inside a trace, as JAX's <c>grad</c>/<c>vjp</c>/<c>jvp</c> but building IR: each call appends
/// the derivative computation to the graph being traced, so the result is one joint graph and derivatives can be
/// differentiated again (grad of grad, Hessian-vector products). Backward nodes carry the source line of the
/// forward node they differentiate. Gradients that no path reaches are zeros.
/// </summary>
public static class Autodiff
{
    /// <summary>The gradient of a float scalar <paramref name="loss"/> with respect to each of <paramref name="wrt"/>.</summary>
    public static Tensor[] Grad(Tensor loss, IReadOnlyList<Tensor> wrt, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = loss.At(file, line);
        if (loss.Rank != 0 || !loss.DType.IsFloat())
        {
            throw loss.Error("grad", $"the loss must be a float scalar, got {loss.Type} (use Autodiff.Vjp for other outputs)");
        }
        return Vjp(loss, loss.Context.Emit(Prim.Full, [], AttributeMap.Of(("shape", new IntListAttr([])), ("value", new ScalarAttr(Scalar.FromDouble(loss.DType, 1))))), wrt, file, line);
    }

    /// <summary>The loss itself and its gradients.</summary>
    public static (Tensor Value, Tensor[] Grads) ValueAndGrad(Tensor loss, IReadOnlyList<Tensor> wrt, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        (loss, Grad(loss, wrt, file, line));

    /// <summary>The vector-Jacobian product uᵀ ∂output/∂wrt for a cotangent <paramref name="cotangent"/> of the output's type.</summary>
    public static Tensor[] Vjp(Tensor output, Tensor cotangent, IReadOnlyList<Tensor> wrt, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var context = Tensor.SameTrace([output, cotangent, .. wrt]);
        using var _ = context.At(file, line);
        if (cotangent.Type != output.Type)
        {
            throw output.Error("vjp", $"the cotangent must have the output's type {output.Type}, got {cotangent.Type}", cotangent);
        }
        if (output.Value is Node node && context.IsConstant(node))
        {
            throw new InvalidOperationException($"the output was computed under Autodiff.NoGrad(), so it has no gradient ({node})");
        }
        var targets = wrt.Select(w => w.Value).ToArray();
        var grads = ReverseMode.Backpropagate(context.Builder, context.Builder.Nodes.ToArray(), [(output.Value, cotangent.Value)], targets, context.IsConstant);
        return targets.Select(t => new Tensor(context, grads.TryGetValue(t, out var g) ? g : context.Builder.Zeros(t.Type))).ToArray();
    }

    /// <summary>The Jacobian-vector product ∂output/∂wrt · tangents (forward mode).</summary>
    public static Tensor Jvp(Tensor output, IReadOnlyList<Tensor> wrt, IReadOnlyList<Tensor> tangents, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var context = Tensor.SameTrace([output, .. wrt, .. tangents]);
        using var _ = context.At(file, line);
        if (wrt.Count != tangents.Count)
        {
            throw new ArgumentException($"{wrt.Count} values to differentiate but {tangents.Count} tangents", nameof(tangents));
        }
        var seeds = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < wrt.Count; i++)
        {
            if (tangents[i].Type != wrt[i].Type)
            {
                throw wrt[i].Error("jvp", $"tangent {i} must have type {wrt[i].Type}, got {tangents[i].Type}", tangents[i]);
            }
            seeds[wrt[i].Value] = tangents[i].Value;
        }
        var result = ForwardMode.Propagate(context.Builder, context.Builder.Nodes.ToArray(), seeds, context.IsConstant);
        return new Tensor(context, result.TryGetValue(output.Value, out var t) ? t : context.Builder.Zeros(output.Type));
    }

    /// <summary>
    /// Hessian-vector products H·v of a scalar loss, by forward-over-reverse: the JVP of the gradient in the
    /// direction <paramref name="vectors"/>. Returns one tensor per element of <paramref name="wrt"/>.
    /// </summary>
    public static Tensor[] HessianVectorProduct(Tensor loss, IReadOnlyList<Tensor> wrt, IReadOnlyList<Tensor> vectors,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var grads = Grad(loss, wrt, file, line);
        return grads.Select(g => Jvp(g, wrt, vectors, file, line)).ToArray();
    }

    /// <summary>The identity, with no gradient in either mode.</summary>
    public static Tensor StopGradient(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x.Emit(StopGradientOp);
    }

    private static readonly OpDef StopGradientOp = OpRegistry.Find("stop_gradient")!;

    /// <summary>
    /// Inference mode for the current trace: values computed inside the scope are constants to autodiff, so no
    /// backward nodes are ever built for them (<c>torch.no_grad</c>).
    /// </summary>
    public static IDisposable NoGrad() => TraceContext.Ambient("Autodiff.NoGrad").EnterNoGrad();
}
