using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>SiLU / swish (<c>torch.nn.functional.silu</c>): x·σ(x) = x/(1 + e⁻ˣ).</summary>
    public static Tensor Silu(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return x * x.Sigmoid();
    }
}
