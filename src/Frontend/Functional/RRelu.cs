using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Randomized leaky ReLU (<c>torch.nn.functional.rrelu</c>): x where x ≥ 0, else a·x. In training each element
    /// draws its own slope a ~ U[<paramref name="lower"/>, <paramref name="upper"/>) from Philox (the trace's
    /// <c>rng.seed</c>/<c>rng.offset</c> inputs, advanced past earlier random ops); in evaluation a is fixed at
    /// (lower + upper)/2. PyTorch defaults: lower = 1/8, upper = 1/3, training = false. The slopes do not depend on
    /// x, so the derivative is where(x ≥ 0, 1, a).
    /// </summary>
    public static Tensor RRelu(Tensor x, double lower = 1.0 / 8, double upper = 1.0 / 3, bool training = false,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        CheckRReluBounds(lower, upper);
        if (!training)
        {
            return LeakyRelu(x, (lower + upper) / 2);
        }
        var (seed, offset) = NextRandomKey(x, x.Shape.ElementCount);
        return RRelu(x, seed, offset, lower, upper, file, line);
    }

    /// <summary>
    /// Training-mode <see cref="RRelu(Tensor, double, double, bool, string, int)"/> with an explicit Philox key:
    /// slope a = lower + (upper − lower)·u with u = <see cref="RandomUniform"/>(<paramref name="seed"/>,
    /// <paramref name="offset"/>) in x's float dtype (i64 scalars, as JAX passes keys), one per element.
    /// </summary>
    public static Tensor RRelu(Tensor x, Tensor seed, Tensor offset, double lower = 1.0 / 8, double upper = 1.0 / 3,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        CheckRReluBounds(lower, upper);
        var dtype = x.DType.IsFloat() ? x.DType : DType.F32;
        var u = RandomUniform(seed, offset, x.Shape.ToArray(), dtype);
        var slope = u * (upper - lower) + lower;
        return Where(x >= 0.0, x, slope * x);
    }

    private static void CheckRReluBounds(double lower, double upper)
    {
        if (!(lower <= upper))
        {
            throw new ArgumentException($"rrelu needs lower ≤ upper, got lower={lower} and upper={upper}");
        }
    }
}
