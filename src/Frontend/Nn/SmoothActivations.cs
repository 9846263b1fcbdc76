namespace GraphDL;

// Smooth activation modules, as torch.nn's: thin wrappers over the functional forms (F.Mish, ...).

/// <summary>x / (1 + |x|) (<c>torch.nn.Softsign</c>).</summary>
public sealed class Softsign : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Softsign(x);
    }
}

/// <summary>log(1/(1 + e⁻ˣ)) (<c>torch.nn.LogSigmoid</c>), stable for any x.</summary>
public sealed class LogSigmoid : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.LogSigmoid(x);
    }
}

/// <summary>x·tanh(softplus(x)) (<c>torch.nn.Mish</c>).</summary>
public sealed class Mish : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Mish(x);
    }
}

/// <summary>max(0, x) + min(0, α·(e^(x/α) − 1)) (<c>torch.nn.CELU</c>, α = 1 by default).</summary>
public sealed class CELU(double alpha = 1.0) : Module
{
    public double Alpha { get; } = alpha != 0 ? alpha : throw new ArgumentException("CELU: alpha must not be 0", nameof(alpha));

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Celu(x, Alpha);
    }
}

/// <summary>a·σ(b) for the halves a, b of x along an axis (<c>torch.nn.GLU</c>, the last axis by default).</summary>
public sealed class GLU(int axis = -1) : Module
{
    public int Axis { get; } = axis;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Glu(x, Axis);
    }
}

/// <summary>exp(x) / Σ exp(x) along an axis (<c>torch.nn.Softmax</c>; the last axis by default).</summary>
public sealed class Softmax(int axis = -1) : Module
{
    public int Axis { get; } = axis;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Softmax(x, Axis);
    }
}

/// <summary>softmax(−x) along an axis (<c>torch.nn.Softmin</c>; the last axis by default).</summary>
public sealed class Softmin(int axis = -1) : Module
{
    public int Axis { get; } = axis;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Softmin(x, Axis);
    }
}

/// <summary>x − log Σ exp(x) along an axis (<c>torch.nn.LogSoftmax</c>; the last axis by default).</summary>
public sealed class LogSoftmax(int axis = -1) : Module
{
    public int Axis { get; } = axis;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.LogSoftmax(x, Axis);
    }
}
