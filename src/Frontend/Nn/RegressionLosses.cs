namespace GraphDL;

// Regression and likelihood loss modules, as torch.nn's: thin wrappers over the functional forms (F.SmoothL1Loss, ...),
// called as loss.Forward(input, target). Each keeps PyTorch's argument defaults; the formulas are on the F methods.

/// <summary>0.5·d²/β where |d| &lt; β, else |d| − 0.5·β, d = x − y (<c>torch.nn.SmoothL1Loss</c>, β = 1).</summary>
public sealed class SmoothL1Loss(string reduction = "mean", double beta = 1.0) : Module
{
    public string Reduction { get; } = reduction;

    public double Beta { get; } = beta;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.SmoothL1Loss(input, target, Reduction, Beta);
    }
}

/// <summary>0.5·d² where |d| &lt; δ, else δ·(|d| − 0.5·δ), d = x − y (<c>torch.nn.HuberLoss</c>, δ = 1).</summary>
public sealed class HuberLoss(string reduction = "mean", double delta = 1.0) : Module
{
    public string Reduction { get; } = reduction;

    public double Delta { get; } = delta;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.HuberLoss(input, target, Reduction, Delta);
    }
}

/// <summary>y·(log y − x) of log-probabilities x (<c>torch.nn.KLDivLoss</c>; reductions mean, batchmean, sum, none).</summary>
public sealed class KLDivLoss(string reduction = "mean", bool logTarget = false) : Module
{
    public string Reduction { get; } = reduction;

    public bool LogTarget { get; } = logTarget;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.KlDivLoss(input, target, Reduction, LogTarget);
    }
}

/// <summary>e^x − y·x for log-rates x (<c>torch.nn.PoissonNLLLoss</c>; log_input true, full false, ε = 1e-8).</summary>
public sealed class PoissonNLLLoss(bool logInput = true, bool full = false, double eps = 1e-8, string reduction = "mean") : Module
{
    public bool LogInput { get; } = logInput;

    public bool Full { get; } = full;

    public double Eps { get; } = eps;

    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.PoissonNllLoss(input, target, LogInput, Full, Eps, Reduction);
    }
}

/// <summary>½·(log v + (x − y)²/v), v = max(var, ε) (<c>torch.nn.GaussianNLLLoss</c>; full false, ε = 1e-6).</summary>
public sealed class GaussianNLLLoss(bool full = false, double eps = 1e-6, string reduction = "mean") : Module
{
    public bool Full { get; } = full;

    public double Eps { get; } = eps;

    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target, Tensor var)
    {
        using var _ = AtUserLine(input);
        return F.GaussianNllLoss(input, target, var, Full, Eps, Reduction);
    }
}

/// <summary>(x − y)² (<c>torch.nn.MSELoss</c>).</summary>
public sealed class MSELoss(string reduction = "mean") : Module
{
    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.MseLoss(input, target, Reduction);
    }
}

/// <summary>|x − y| (<c>torch.nn.L1Loss</c>).</summary>
public sealed class L1Loss(string reduction = "mean") : Module
{
    public string Reduction { get; } = reduction;

    public Tensor Forward(Tensor input, Tensor target)
    {
        using var _ = AtUserLine(input);
        return F.L1Loss(input, target, Reduction);
    }
}
