namespace GraphDL;

// Piecewise-linear activation modules, as torch.nn's: thin wrappers over the functional forms (F.Hardtanh, ...).

/// <summary>min_val where x ≤ min_val, max_val where x ≥ max_val, else x (<c>torch.nn.Hardtanh</c>, −1 and 1 by default).</summary>
public sealed class Hardtanh(double minVal = -1.0, double maxVal = 1.0) : Module
{
    public double MinVal { get; } = minVal <= maxVal ? minVal
        : throw new ArgumentException($"Hardtanh: min_val ({minVal}) must not exceed max_val ({maxVal})", nameof(minVal));

    public double MaxVal { get; } = maxVal;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Hardtanh(x, MinVal, MaxVal);
    }
}

/// <summary>min(max(x, 0), 6) (<c>torch.nn.ReLU6</c>).</summary>
public sealed class ReLU6 : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Relu6(x);
    }
}

/// <summary>0 where x ≤ −3, x where x ≥ 3, else x·(x + 3)/6 (<c>torch.nn.Hardswish</c>).</summary>
public sealed class Hardswish : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Hardswish(x);
    }
}

/// <summary>0 where x ≤ −3, 1 where x ≥ 3, else x/6 + 1/2 (<c>torch.nn.Hardsigmoid</c>).</summary>
public sealed class Hardsigmoid : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Hardsigmoid(x);
    }
}

/// <summary>x where x &gt; threshold, else value (<c>torch.nn.Threshold</c>; both required).</summary>
public sealed class Threshold(double threshold, double value) : Module
{
    public double ThresholdValue { get; } = threshold;

    public double Value { get; } = value;

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Threshold(x, ThresholdValue, Value);
    }
}
