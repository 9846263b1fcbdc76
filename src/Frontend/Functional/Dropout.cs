using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Dropout (<c>torch.nn.functional.dropout</c>): in training each element is kept with probability 1 − p and
    /// scaled by 1/(1 − p), else zeroed, so the expectation is x; the keep mask is a Philox <c>bernoulli(1 − p)</c> drawn
    /// from the trace's <c>rng.seed</c>/<c>rng.offset</c> inputs, the offset advanced past earlier random ops so no two
    /// masks of one graph repeat. The identity in evaluation and for p = 0 (no random numbers are drawn); x·0 for
    /// p = 1. PyTorch defaults: p = 0.5, training = true. The mask does not depend on x: the derivative is mask/(1 − p).
    /// </summary>
    public static Tensor Dropout(Tensor x, double p = 0.5, bool training = true, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        CheckDropoutProbability(p);
        if (!training || p == 0)
        {
            return x;
        }
        if (p == 1)
        {
            return x * 0.0;
        }
        var (seed, offset) = NextRandomKey(x, x.Shape.ElementCount);
        return Dropout(x, p, seed, offset, file, line);
    }

    /// <summary>
    /// Training-mode <see cref="Dropout(Tensor, double, bool, string, int)"/> with an explicit Philox key (i64 scalars
    /// <paramref name="seed"/> and <paramref name="offset"/>, as JAX passes keys): where(bernoulli(seed, offset, 1 − p),
    /// x/(1 − p), 0). The same key gives the same mask.
    /// </summary>
    public static Tensor Dropout(Tensor x, double p, Tensor seed, Tensor offset, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        CheckDropoutProbability(p);
        if (p == 1)
        {
            return x * 0.0;
        }
        var keep = Bernoulli(seed, offset, x.Shape.ToArray(), 1 - p);
        return Where(keep, x * (1 / (1 - p)), 0.0);
    }

    private static void CheckDropoutProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability has to be between 0 and 1, but got {p}");
        }
    }
}
