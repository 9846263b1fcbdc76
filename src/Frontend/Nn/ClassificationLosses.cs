using GraphDL.IR;

namespace GraphDL;

// Classification loss modules, as torch.nn's: thin wrappers over the functional forms (F.CrossEntropy, ...), called as
// loss.Forward(input, target). Each keeps PyTorch's argument defaults for the options the functional form has; the
// formulas are on the F methods. Class weights and pos_weight are constants of the traced graph (a criterion is
// usually not part of the model, so it has no place among the step's inputs; torch's modules keep them as buffers).

/// <summary>
/// Cross-entropy of logits [N, C, d...] against class indices [N, d...] or class probabilities
/// (<c>torch.nn.CrossEntropyLoss</c>; reduction mean, label_smoothing 0, no class weights, ignore_index −100).
/// </summary>
public sealed class CrossEntropyLoss : Module
{
    public CrossEntropyLoss(string reduction = "mean", double labelSmoothing = 0.0, HostTensor? weight = null, int ignoreIndex = -100)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"label_smoothing must be in [0, 1], got {labelSmoothing}");
        }
        Reduction = reduction;
        LabelSmoothing = labelSmoothing;
        Weight = weight;
        IgnoreIndex = ignoreIndex;
    }

    public string Reduction { get; }

    public double LabelSmoothing { get; }

    /// <summary>The class weights [C] or null.</summary>
    public HostTensor? Weight { get; }

    public int IgnoreIndex { get; }

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.CrossEntropy(input, target, labelSmoothing: LabelSmoothing, reduction: Reduction, weight: Weights.Constant(Weight), ignoreIndex: IgnoreIndex);
    }
}

/// <summary>−w[target]·x[target] of log-probabilities [N, C, d...] at class indices [N, d...] (<c>torch.nn.NLLLoss</c>).</summary>
public sealed class NLLLoss : Module
{
    public NLLLoss(string reduction = "mean", HostTensor? weight = null, int ignoreIndex = -100)
    {
        Reduction = reduction;
        Weight = weight;
        IgnoreIndex = ignoreIndex;
    }

    public string Reduction { get; }

    /// <summary>The class weights [C] or null.</summary>
    public HostTensor? Weight { get; }

    public int IgnoreIndex { get; }

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.NllLoss(input, target, reduction: Reduction, weight: Weights.Constant(Weight), ignoreIndex: IgnoreIndex);
    }
}

/// <summary>−w·(y·log p + (1 − y)·log(1 − p)), each log clamped at −100 (<c>torch.nn.BCELoss</c>).</summary>
public sealed class BCELoss : Module
{
    public BCELoss(string reduction = "mean", HostTensor? weight = null)
    {
        Reduction = reduction;
        Weight = weight;
    }

    public string Reduction { get; }

    /// <summary>The element weights, broadcast to the input or null.</summary>
    public HostTensor? Weight { get; }

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.BinaryCrossEntropy(input, target, reduction: Reduction, weight: Weights.Constant(Weight));
    }
}

/// <summary>
/// Binary cross-entropy of σ(x), computed stably from the logits x, with element weights and positive-class weights
/// (<c>torch.nn.BCEWithLogitsLoss</c>).
/// </summary>
public sealed class BCEWithLogitsLoss : Module
{
    public BCEWithLogitsLoss(string reduction = "mean", HostTensor? weight = null, HostTensor? posWeight = null)
    {
        Reduction = reduction;
        Weight = weight;
        PosWeight = posWeight;
    }

    public string Reduction { get; }

    /// <summary>The element weights, broadcast to the input or null.</summary>
    public HostTensor? Weight { get; }

    /// <summary>The positive-class weights, broadcast to the input or null.</summary>
    public HostTensor? PosWeight { get; }

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.BinaryCrossEntropyWithLogits(input, target, reduction: Reduction, weight: Weights.Constant(Weight), posWeight: Weights.Constant(PosWeight));
    }
}

file static class Weights
{
    public static Tensor? Constant(HostTensor? weight) => weight is null ? null : F.Constant(weight);
}
