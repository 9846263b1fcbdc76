namespace GraphDL;

/// <summary>
/// In training, zeroes each element with probability p and scales the rest by 1/(1 − p) (<c>torch.nn.Dropout</c>);
/// in evaluation, the identity. The mask comes from the trace's Philox stream (<c>rng.seed</c>, <c>rng.offset</c>),
/// so a training step draws a fresh mask each run.
/// </summary>
public sealed class Dropout : Module
{
    public Dropout(double p = 0.5)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability must be in [0, 1], got {p}");
        }
        P = p;
    }

    public double P { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Dropout(x, P, Training);
    }
}
