using GraphDL.IR;

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
        return Training && P > 0 ? Apply(x, P) : x;
    }

    // F.Dropout is being written on another branch; until it lands this helper builds the mask itself.
    internal static Tensor Apply(Tensor x, double p)
    {
        var context = x.Context;
        if (p >= 1)
        {
            return x * 0.0;
        }
        var (seed, offset) = context.RandomKey((x.Shape.ElementCount + 3) / 4);
        var keep = Tensor.Emit(Prim.Bernoulli, [new Tensor(context, seed), new Tensor(context, offset)],
            AttributeMap.Of(("shape", new IntListAttr(x.Shape.ToArray())), ("p", new FloatAttr(1 - p))));
        return F.Where(keep, x * (1 / (1 - p)), 0.0);
    }
}
