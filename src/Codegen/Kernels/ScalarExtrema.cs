using System.Numerics;
using System.Runtime.CompilerServices;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// IEEE 754-2019 maximum and minimum (NaN propagates, −0 &lt; +0), the rule of the <c>max</c> and <c>min</c> ops and of
/// <see cref="Math.Max(double, double)"/>, written with comparisons. Generated scalar code calls these rather than
/// <c>Math.Min</c>/<c>Math.Max</c>: the .NET 10 JIT folds <c>Math.Min(-0.0, x)</c> with a constant −0 operand to an
/// instruction that returns +0 for x = +0 (found by the random-graph test; a constant operand is common in generated
/// code, as in <c>min(x, 0.0)</c>).
/// </summary>
public static class ScalarExtrema
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        if (a > b)
        {
            return a;
        }
        if (b > a)
        {
            return b;
        }
        if (a == b)
        {
            // Equal values differ only in the sign of a zero: +0 is the larger.
            return T.IsNegative(a) ? b : a;
        }
        return T.IsNaN(a) ? a : b;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Min<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        if (a < b)
        {
            return a;
        }
        if (b < a)
        {
            return b;
        }
        if (a == b)
        {
            return T.IsNegative(a) ? a : b;
        }
        return T.IsNaN(a) ? a : b;
    }
}
