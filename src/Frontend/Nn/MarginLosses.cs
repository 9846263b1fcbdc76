using GraphDL.IR;

namespace GraphDL;

// Margin and embedding loss modules, as torch.nn's: thin wrappers over the functional forms (F.HingeEmbeddingLoss, ...),
// called as loss.Forward(...). Each keeps PyTorch's argument defaults; the formulas are on the F methods.

/// <summary>x where y = 1, max(0, margin − x) where y = −1 (<c>torch.nn.HingeEmbeddingLoss</c>, margin 1).</summary>
public sealed class HingeEmbeddingLoss(double margin = 1.0, string reduction = "mean") : Module
{
    public double Margin { get; } = margin;

    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.HingeEmbeddingLoss(input, target, Margin, Reduction);
    }
}

/// <summary>1 − cos(x1, x2) where y = 1, max(0, cos − margin) where y = −1 (<c>torch.nn.CosineEmbeddingLoss</c>, margin 0).</summary>
public sealed class CosineEmbeddingLoss(double margin = 0.0, string reduction = "mean") : Module
{
    public double Margin { get; } = margin;

    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input1, Tensor input2, Tensor target)
    {
        using var _ = AtUserLine(input1);
        return F.CosineEmbeddingLoss(input1, input2, target, Margin, Reduction);
    }
}

/// <summary>log(1 + e^(−y·x)) (<c>torch.nn.SoftMarginLoss</c>).</summary>
public sealed class SoftMarginLoss(string reduction = "mean") : Module
{
    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.SoftMarginLoss(input, target, Reduction);
    }
}

/// <summary>
/// Σ_{i ≠ y} w_y·max(0, margin − x_y + x_i)^p / C (<c>torch.nn.MultiMarginLoss</c>; p 1, margin 1). The optional class
/// weights enter the graph as a constant (they are fixed, not trained), so the loss can be used beside any model.
/// </summary>
public sealed class MultiMarginLoss : Module
{
    public MultiMarginLoss(int p = 1, double margin = 1.0, HostTensor? weight = null, string reduction = "mean")
    {
        P = p is 1 or 2 ? p : throw new ArgumentException($"MultiMarginLoss: p must be 1 or 2, got {p}", nameof(p));
        Margin = margin;
        Reduction = reduction;
        Weight = weight;
    }

    public int P { get; }

    public double Margin { get; }

    public string Reduction { get; }

    /// <summary>The class weights [C], or null for all 1.</summary>
    public HostTensor? Weight { get; }

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.MultiMarginLoss(input, target, P, Margin, Weight is null ? null : F.Constant(Weight), Reduction);
    }
}

/// <summary>
/// max(0, d(a, p) − d(a, n) + margin), d the p-norm distance (<c>torch.nn.TripletMarginLoss</c>; margin 1, p 2,
/// ε 1e-6, no swap).
/// </summary>
public sealed class TripletMarginLoss(double margin = 1.0, double p = 2.0, double eps = 1e-6, bool swap = false, string reduction = "mean") : Module
{
    public double Margin { get; } = margin;

    public double P { get; } = p;

    public double Eps { get; } = eps;

    public bool Swap { get; } = swap;

    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor anchor, Tensor positive, Tensor negative)
    {
        using var _ = AtUserLine(anchor);
        return F.TripletMarginLoss(anchor, positive, negative, Margin, P, Eps, Swap, Reduction);
    }
}

/// <summary>max(0, −y·(x1 − x2) + margin) (<c>torch.nn.MarginRankingLoss</c>, margin 0).</summary>
public sealed class MarginRankingLoss(double margin = 0.0, string reduction = "mean") : Module
{
    public double Margin { get; } = margin;

    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input1, Tensor input2, Tensor target)
    {
        using var _ = AtUserLine(input1);
        return F.MarginRankingLoss(input1, input2, target, Margin, Reduction);
    }
}
