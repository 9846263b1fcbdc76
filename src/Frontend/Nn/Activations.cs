namespace GraphDL;

// Activation modules, as torch.nn's: thin wrappers over the functional forms (F.LeakyRelu, F.Gelu, ...).

/// <summary>x for x &gt; 0, else negative_slope·x (<c>torch.nn.LeakyReLU</c>, slope 0.01 by default).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    public double NegativeSlope { get; } = negativeSlope;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.LeakyRelu(x, NegativeSlope);
    }
}

/// <summary>x for x &gt; 0, else α·(eˣ − 1) (<c>torch.nn.ELU</c>, α = 1 by default).</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    public double Alpha { get; } = alpha;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Elu(x, Alpha);
    }
}

/// <summary>
/// x·Φ(x) = x/2·(1 + erf(x/√2)) (<c>torch.nn.GELU</c>), or with <c>approximate: "tanh"</c>
/// x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
/// </summary>
public sealed class GELU : Module
{
    public GELU(string approximate = "none")
    {
        if (approximate is not ("none" or "tanh"))
        {
            throw new ArgumentException($"approximate must be \"none\" or \"tanh\", got \"{approximate}\"", nameof(approximate));
        }
        Approximate = approximate;
    }

    public string Approximate { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Gelu(x, Approximate);
    }
}

/// <summary>x·σ(x) (<c>torch.nn.SiLU</c>, also called swish).</summary>
public sealed class SiLU : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Silu(x);
    }
}

/// <summary>1/(1 + e⁻ˣ) (<c>torch.nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Sigmoid(x);
    }
}

/// <summary>tanh(x) (<c>torch.nn.Tanh</c>).</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Tanh(x);
    }
}

/// <summary>
/// log(1 + e^(βx))/β, and x itself where βx &gt; threshold (<c>torch.nn.Softplus</c>, β = 1, threshold = 20 by default).
/// </summary>
public sealed class Softplus(double beta = 1.0, double threshold = 20.0) : Module
{
    public double Beta { get; } = beta;

    public double Threshold { get; } = threshold;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Softplus(x, Beta, Threshold);
    }
}
