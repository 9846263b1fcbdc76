using System.Runtime.Intrinsics;
using GraphDL.Codegen.Kernels;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// One <see cref="VectorMath"/> function in its four widths, with its reference, the max ulp error its doc comment
/// states, and the inputs where it is hardest (branch and range-reduction edges, overflow, underflow, saturation).
/// </summary>
internal sealed record VectorMathFunction(
    string Name,
    Func<Vector512<float>, Vector512<float>> V512,
    Func<Vector256<float>, Vector256<float>> V256,
    Func<Vector128<float>, Vector128<float>> V128,
    Func<float, float> Scalar,
    Func<float, double> Reference,
    int MaxUlp,
    float[] HardPoints)
{
    /// <summary>
    /// Each width over the whole input, a vector at a time; the last partial vector is padded with zeros, as a
    /// kernel's masked tail would be, and the scalar path runs every element.
    /// </summary>
    public (float[] V512, float[] V256, float[] V128, float[] Scalar) EvaluateAllWidths(float[] inputs)
    {
        return (
            ByVectors(inputs, Vector512<float>.Count, (s, d) => V512(Vector512.Create(s)).CopyTo(d)),
            ByVectors(inputs, Vector256<float>.Count, (s, d) => V256(Vector256.Create(s)).CopyTo(d)),
            ByVectors(inputs, Vector128<float>.Count, (s, d) => V128(Vector128.Create(s)).CopyTo(d)),
            inputs.Select(Scalar).ToArray());
    }

    public float[] EvaluateVector512(float[] inputs) =>
        ByVectors(inputs, Vector512<float>.Count, (s, d) => V512(Vector512.Create(s)).CopyTo(d));

    private static float[] ByVectors(float[] inputs, int width, SpanAction apply)
    {
        var padded = new float[(inputs.Length + width - 1) / width * width];
        inputs.CopyTo(padded, 0);
        var results = new float[padded.Length];
        for (int i = 0; i < padded.Length; i += width)
        {
            apply(padded.AsSpan(i, width), results.AsSpan(i, width));
        }
        return results[..inputs.Length];
    }

    private delegate void SpanAction(ReadOnlySpan<float> source, Span<float> destination);
}

/// <summary>The functions under test, by name, with the bounds stated in <see cref="VectorMath"/>'s doc comments.</summary>
internal static class VectorMathFunctions
{
    public static readonly IReadOnlyDictionary<string, VectorMathFunction> All = new[]
    {
        // ln(FLT_MAX), ln(FLT_MIN), ln(2^-149), ln(2^-150), ln2/2 (reduction edge).
        new VectorMathFunction("Exp", VectorMath.Exp, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp, VectorMathReference.Exp, 1,
            [88.72284f, 87.33655f, 103.27893f, 103.97208f, 0.34657359f]),
        // √½ and √2 (mantissa split), 2, FLT_MAX.
        new VectorMathFunction("Log", VectorMath.Log, VectorMath.Log, VectorMath.Log, VectorMath.Log, VectorMathReference.Log, 1,
            [0.70710678f, 1.41421356f, 2f, float.MaxValue]),
        // Branch at 0.625, saturation to ±1 near 9.01, e^2|x| overflow near 44.4.
        new VectorMathFunction("Tanh", VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh, VectorMathReference.Tanh, 1,
            [0.625f, 9.0109133f, 44.36142f]),
        // Saturation to 1 near 16.6, e^−|x| turning subnormal (87.3) and zero (103.97).
        new VectorMathFunction("Logistic", VectorMath.Logistic, VectorMath.Logistic, VectorMath.Logistic, VectorMath.Logistic, VectorMathReference.Logistic, 2,
            [16.635532f, 17.32868f, 87.33655f, 103.97208f]),
        // Branch at 1, saturation to ±1 near 3.92, the tail's clamp at 4.
        new VectorMathFunction("Erf", VectorMath.Erf, VectorMath.Erf, VectorMath.Erf, VectorMath.Erf, VectorMathReference.Erf, 1,
            [3.9192059f, 4f]),
        // Reduction edges ±ln2/2, the x-passthrough edge 2^-25, saturation to −1 near 17.33, overflow.
        new VectorMathFunction("Expm1", VectorMath.Expm1, VectorMath.Expm1, VectorMath.Expm1, VectorMath.Expm1, VectorMathReference.Expm1, 1,
            [0.34657359f, 2.98023224e-8f, 17.32868f, 88.72284f]),
        // The pole at −1, 2^-25, √½ − 1 and √2 − 1 (mantissa split of 1 + x), ½, 2^24.
        new VectorMathFunction("Log1p", VectorMath.Log1p, VectorMath.Log1p, VectorMath.Log1p, VectorMath.Log1p, VectorMathReference.Log1p, 1,
            [0.99999994f, 2.98023224e-8f, 0.29289322f, 0.41421356f, 0.5f, 16777216f]),
        // π/4 (polynomial edge), π/2, π, a few thousand (reduction error grows with k), the 2^20 fallback limit.
        new VectorMathFunction("Sin", VectorMath.Sin, VectorMath.Sin, VectorMath.Sin, VectorMath.Sin, VectorMathReference.Sin, 2,
            [0.78539816f, 1.57079633f, 3.14159265f, 3562.8164f, 1048576f]),
        new VectorMathFunction("Cos", VectorMath.Cos, VectorMath.Cos, VectorMath.Cos, VectorMath.Cos, VectorMathReference.Cos, 2,
            [0.78539816f, 1.57079633f, 3.14159265f, 20714.344f, 1048576f]),
    }.ToDictionary(f => f.Name);
}
