using GraphDL.IR;

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

/// <summary>
/// x for x &gt; 0, else a·x with a learned slope a (<c>torch.nn.PReLU</c>): one slope shared by every channel
/// (<c>numParameters</c> = 1, the default) or one per channel of axis 1 (numParameters = C). The parameter
/// <c>weight</c> [numParameters] starts at <c>init</c> (0.25).
/// </summary>
public sealed class PReLU : Module
{
    public PReLU(int numParameters = 1, double init = 0.25, DType dtype = DType.F32)
    {
        if (numParameters < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numParameters), $"PReLU: num_parameters must be at least 1, got {numParameters}");
        }
        NumParameters = numParameters;
        var type = new TensorType(dtype, numParameters);
        Weight = AddParameter("weight", HostTensor.Full(type, Scalar.FromDouble(dtype, init)));
    }

    public int NumParameters { get; }

    public Tensor Weight { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.PRelu(x, Weight);
    }
}

/// <summary>λ·x for x &gt; 0, else λ·α·(eˣ − 1), with PyTorch's constants λ ≈ 1.0507 and α ≈ 1.6733 (<c>torch.nn.SELU</c>).</summary>
public sealed class SELU : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Selu(x);
    }
}

/// <summary>
/// x for x ≥ 0, else a·x (<c>torch.nn.RReLU</c>, lower 1/8 and upper 1/3): in training each element draws its slope
/// a ~ U[lower, upper) from the trace's Philox stream (a fresh draw each run of a training step); in evaluation
/// a = (lower + upper)/2.
/// </summary>
public sealed class RReLU : Module
{
    public RReLU(double lower = 1.0 / 8, double upper = 1.0 / 3)
    {
        if (!(lower <= upper))
        {
            throw new ArgumentException($"RReLU: lower ({lower}) must not exceed upper ({upper})", nameof(lower));
        }
        Lower = lower;
        Upper = upper;
    }

    public double Lower { get; }

    public double Upper { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.RRelu(x, Lower, Upper, Training);
    }
}
