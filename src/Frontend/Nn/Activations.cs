namespace GraphDL;

// Activation modules, as torch.nn's. The functional forms (F.LeakyRelu, F.Gelu, ...) are being written on another
// branch; until they land these modules build the same formulas from primitives through Tensor methods.

/// <summary>x for x &gt; 0, else negative_slope·x (<c>torch.nn.LeakyReLU</c>, slope 0.01 by default).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    public double NegativeSlope { get; } = negativeSlope;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Where(x > 0.0, x, x * NegativeSlope);
    }
}

/// <summary>x for x &gt; 0, else α·(eˣ − 1) (<c>torch.nn.ELU</c>, α = 1 by default).</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    public double Alpha { get; } = alpha;

    // expm1 of min(x, 0): the branch not taken stays finite, so its zero gradient cannot become NaN.
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Where(x > 0.0, x, x.Minimum(0.0).Expm1() * Alpha);
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
        return Approximate == "tanh"
        ? x * 0.5 * (1.0 + ((x + x * x * x * 0.044715) * Math.Sqrt(2 / Math.PI)).Tanh())
        : x * 0.5 * (1.0 + (x * Math.Sqrt(0.5)).Erf());
    }
}

/// <summary>x·σ(x) (<c>torch.nn.SiLU</c>, also called swish).</summary>
public sealed class SiLU : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return x * x.Sigmoid();
    }
}

/// <summary>1/(1 + e⁻ˣ) (<c>torch.nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return x.Sigmoid();
    }
}

/// <summary>tanh(x) (<c>torch.nn.Tanh</c>).</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return x.Tanh();
    }
}

/// <summary>
/// log(1 + e^(βx))/β, and x itself where βx &gt; threshold (<c>torch.nn.Softplus</c>, β = 1, threshold = 20 by default).
/// </summary>
public sealed class Softplus(double beta = 1.0, double threshold = 20.0) : Module
{
    public double Beta { get; } = beta;

    public double Threshold { get; } = threshold;

    // exp of min(βx, threshold): the branch not taken stays finite, so its zero gradient cannot become NaN.
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        var scaled = x * Beta;
        return F.Where(scaled > Threshold, x, scaled.Minimum(Threshold).Exp().Log1p() / Beta);
    }
}
