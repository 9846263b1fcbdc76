using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// GELU (<c>torch.nn.functional.gelu</c>). <paramref name="approximate"/> = "none" (the default) is exact,
    /// x·Φ(x) = ½·x·(1 + erf(x/√2)); "tanh" is ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    /// gelu(1) = 0.8413447460685429.
    /// </summary>
    public static Tensor Gelu(Tensor x, string approximate = "none", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        switch (approximate)
        {
            case "none":
                return x * 0.5 * ((x * Math.Sqrt(0.5)).Erf() + 1.0);
            case "tanh":
                var inner = (x + x * x * x * 0.044715) * Math.Sqrt(2 / Math.PI);
                return x * 0.5 * (inner.Tanh() + 1.0);
            default:
                throw new ArgumentException($"gelu: approximate must be \"none\" or \"tanh\", got \"{approximate}\"", nameof(approximate));
        }
    }
}
