namespace GraphDL;

/// <summary>
/// A residual connection around a module: x + inner(x), the block of ResNets and transformers. The wrapped module is
/// the child <c>inner</c> (its parameters are <c>inner.*</c>) and must keep the input's shape.
/// </summary>
public sealed class Residual : Module
{
    public Residual(Module inner)
    {
        Inner = Register("inner", inner);
    }

    public Module Inner { get; }

    public override Tensor Forward(Tensor x)
    {
        var y = Inner.Forward(x);
        using var _ = AtUserLine(x);
        if (!y.Shape.SequenceEqual(x.Shape))
        {
            throw x.Error("add", $"Residual: the inner {Inner} maps {x.Type} to {y.Type}; a residual block must keep the shape", y);
        }
        return x + y;
    }
}
