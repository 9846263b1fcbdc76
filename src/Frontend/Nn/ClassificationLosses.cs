namespace GraphDL;

// Classification loss modules, as torch.nn's: thin wrappers over the functional forms (F.CrossEntropy, ...), called as
// loss.Forward(input, target). Each keeps PyTorch's argument defaults for the options the functional form has; the
// formulas are on the F methods. Class weights, ignore_index and pos_weight are not options of these yet.

/// <summary>
/// Cross-entropy of logits [N, C] against class indices [N] (<c>torch.nn.CrossEntropyLoss</c>; reduction mean,
/// label_smoothing 0).
/// </summary>
public sealed class CrossEntropyLoss : Module
{
    public CrossEntropyLoss(string reduction = "mean", double labelSmoothing = 0.0)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"label_smoothing must be in [0, 1], got {labelSmoothing}");
        }
        Reduction = reduction;
        LabelSmoothing = labelSmoothing;
    }

    public string Reduction { get; }

    public double LabelSmoothing { get; }

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.CrossEntropy(input, target, labelSmoothing: LabelSmoothing, reduction: Reduction);
    }
}

/// <summary>−x[target] of log-probabilities [N, C] at class indices [N] (<c>torch.nn.NLLLoss</c>).</summary>
public sealed class NLLLoss(string reduction = "mean") : Module
{
    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.NllLoss(input, target, reduction: Reduction);
    }
}

/// <summary>−(y·log p + (1 − y)·log(1 − p)), each log clamped at −100 (<c>torch.nn.BCELoss</c>).</summary>
public sealed class BCELoss(string reduction = "mean") : Module
{
    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.BinaryCrossEntropy(input, target, reduction: Reduction);
    }
}

/// <summary>Binary cross-entropy of σ(x), computed stably from the logits x (<c>torch.nn.BCEWithLogitsLoss</c>).</summary>
public sealed class BCEWithLogitsLoss(string reduction = "mean") : Module
{
    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.BinaryCrossEntropyWithLogits(input, target, reduction: Reduction);
    }
}
