using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>α of SELU (Klambauer et al. 2017), as PyTorch writes it: 1.6732632423543772848170429916717.</summary>
    public const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>The scale λ of SELU, as PyTorch writes it: 1.0507009873554804934193349852946.</summary>
    public const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>
    /// SELU (<c>torch.nn.functional.selu</c>): λ·x where x &gt; 0, else λ·α·(eˣ − 1), i.e. λ·elu(x, α), with
    /// α = <see cref="SeluAlpha"/> and λ = <see cref="SeluScale"/>.
    /// </summary>
    public static Tensor Selu(Tensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return Elu(x, SeluAlpha) * SeluScale;
    }
}
