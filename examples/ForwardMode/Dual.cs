namespace GraphDL.Examples.ForwardMode;

/// <summary>
/// A dual number a + b·ε with ε² = 0: carrying the tangent b beside the value a through every operation computes a
/// derivative exactly, with no step size (f(a + bε) = f(a) + f'(a)·b·ε). This is forward mode by hand, in plain C#,
/// to compare with the forward mode GraphDL builds as a graph transform.
/// </summary>
public readonly record struct Dual(double Value, double Tangent)
{
    public static Dual operator +(Dual x, Dual y) => new(x.Value + y.Value, x.Tangent + y.Tangent);

    public static Dual operator -(Dual x, Dual y) => new(x.Value - y.Value, x.Tangent - y.Tangent);

    /// <summary>(a + bε)(c + dε) = ac + (ad + bc)ε: the product rule falls out of ε² = 0.</summary>
    public static Dual operator *(Dual x, Dual y) => new(x.Value * y.Value, x.Value * y.Tangent + x.Tangent * y.Value);

    public static Dual operator *(double c, Dual x) => new(c * x.Value, c * x.Tangent);

    public static Dual Sin(Dual x) => new(Math.Sin(x.Value), Math.Cos(x.Value) * x.Tangent);

    public static Dual Exp(Dual x) => new(Math.Exp(x.Value), Math.Exp(x.Value) * x.Tangent);

    public static Dual Tanh(Dual x)
    {
        double t = Math.Tanh(x.Value);
        return new(t, (1 - t * t) * x.Tangent);
    }
}
