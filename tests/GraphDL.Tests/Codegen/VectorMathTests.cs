using System.Runtime.Intrinsics;
using GraphDL.Codegen.Kernels;
using Xunit.Abstractions;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// <see cref="VectorMath"/> against double-precision references rounded to float: the error over strided sweeps of
/// every float bit pattern plus dense sweeps at each function's hard points stays within the ulps its doc comment
/// states; the Vector512, Vector256, Vector128 and scalar paths agree bit for bit; special values are exact.
/// </summary>
/// <remarks>
/// Error is the distance in representable floats between the result and the float nearest the reference (0 means
/// correctly rounded; ±0 are one point; +Inf is the float after float.MaxValue, but a result that is Inf, NaN or a
/// zero of the other sign where the reference is not counts as a special-value mismatch, never as ulps). Set
/// GRAPHDL_VECTORMATH_FULL_SWEEP=1 to run the same check over all 2^32 inputs (minutes on two cores). The software
/// fallbacks agree too: these tests also pass with DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 (no hardware FMA) and
/// DOTNET_EnableHWIntrinsic=0.
/// </remarks>
public class VectorMathTests(ITestOutputHelper output)
{
    // Strided sweep: a prime stride, so the low mantissa bits vary (about a million inputs per function).
    private const long SweepStride = 4099;
    private const int DenseHalfWidth = 8192;

    public static TheoryData<string> FunctionNames() => new(VectorMathFunctions.All.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void ErrorStaysWithinTheDocumentedUlpsOverTheFloatRange(string name)
    {
        var function = VectorMathFunctions.All[name];
        var sweep = UlpSweep.Run(function, SweepInputs(function));
        output.WriteLine($"{name}: {sweep}");
        Assert.True(sweep.SpecialMismatches == 0, $"{name}: {sweep.SpecialMismatches} special-value mismatches, first {sweep.FirstSpecialMismatch}");
        Assert.True(sweep.MaxUlp <= function.MaxUlp, $"{name}: {sweep}; documented bound {function.MaxUlp} ulp");
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void AllWidthsAndTheScalarPathAreBitIdentical(string name)
    {
        var function = VectorMathFunctions.All[name];
        float[] inputs = SweepInputs(function);
        var results = function.EvaluateAllWidths(inputs);
        foreach (var (width, values) in new[] { ("Vector256", results.V256), ("Vector128", results.V128), ("float", results.Scalar) })
        {
            int mismatch = Enumerable.Range(0, inputs.Length).FirstOrDefault(i => !SameValue(results.V512[i], values[i]), -1);
            Assert.True(mismatch < 0, mismatch < 0 ? "" :
                $"{name}({inputs[mismatch]:R} = 0x{BitConverter.SingleToInt32Bits(inputs[mismatch]):X8}): Vector512 gives {Show(results.V512[mismatch])}, {width} gives {Show(values[mismatch])}");
        }
    }

    /// <summary>(function, x, exact result): the cases the reference pins down exactly, signed zeros included.</summary>
    public static TheoryData<string, float, float> SpecialValues() => new()
    {
        { "Exp", float.NaN, float.NaN },
        { "Exp", float.NegativeInfinity, 0f },
        { "Exp", float.PositiveInfinity, float.PositiveInfinity },
        { "Exp", 89f, float.PositiveInfinity },
        { "Exp", -104f, 0f },
        { "Exp", -0f, 1f },
        { "Exp", 0f, 1f },
        { "Log", float.NaN, float.NaN },
        { "Log", 0f, float.NegativeInfinity },
        { "Log", -0f, float.NegativeInfinity },
        { "Log", -1f, float.NaN },
        { "Log", -float.Epsilon, float.NaN },
        { "Log", float.NegativeInfinity, float.NaN },
        { "Log", float.PositiveInfinity, float.PositiveInfinity },
        { "Log", 1f, 0f },
        { "Tanh", float.NaN, float.NaN },
        { "Tanh", float.PositiveInfinity, 1f },
        { "Tanh", float.NegativeInfinity, -1f },
        { "Tanh", 0f, 0f },
        { "Tanh", -0f, -0f },
        { "Tanh", float.Epsilon, float.Epsilon },
        { "Tanh", -float.Epsilon, -float.Epsilon },
        { "Logistic", float.NaN, float.NaN },
        { "Logistic", float.PositiveInfinity, 1f },
        { "Logistic", float.NegativeInfinity, 0f },
        { "Logistic", 0f, 0.5f },
        { "Logistic", -0f, 0.5f },
        { "Erf", float.NaN, float.NaN },
        { "Erf", float.PositiveInfinity, 1f },
        { "Erf", float.NegativeInfinity, -1f },
        { "Erf", 0f, 0f },
        { "Erf", -0f, -0f },
        { "Expm1", float.NaN, float.NaN },
        { "Expm1", float.PositiveInfinity, float.PositiveInfinity },
        { "Expm1", float.NegativeInfinity, -1f },
        { "Expm1", 0f, 0f },
        { "Expm1", -0f, -0f },
        { "Expm1", -float.Epsilon, -float.Epsilon },
        { "Log1p", float.NaN, float.NaN },
        { "Log1p", -1f, float.NegativeInfinity },
        { "Log1p", -2f, float.NaN },
        { "Log1p", float.NegativeInfinity, float.NaN },
        { "Log1p", float.PositiveInfinity, float.PositiveInfinity },
        { "Log1p", 0f, 0f },
        { "Log1p", -0f, -0f },
        { "Log1p", float.Epsilon, float.Epsilon },
        { "Sin", float.NaN, float.NaN },
        { "Sin", float.PositiveInfinity, float.NaN },
        { "Sin", float.NegativeInfinity, float.NaN },
        { "Sin", 0f, 0f },
        { "Sin", -0f, -0f },
        { "Sin", -float.Epsilon, -float.Epsilon },
        { "Cos", float.NaN, float.NaN },
        { "Cos", float.PositiveInfinity, float.NaN },
        { "Cos", float.NegativeInfinity, float.NaN },
        { "Cos", 0f, 1f },
        { "Cos", -0f, 1f },
    };

    [Theory]
    [MemberData(nameof(SpecialValues))]
    public void SpecialValuesAreExactOnEveryPath(string name, float x, float expected)
    {
        var function = VectorMathFunctions.All[name];
        float reference = (float)function.Reference(x);
        Assert.True(SameValue(expected, reference), $"test expectation {expected:R} disagrees with the reference {reference:R}");
        var results = function.EvaluateAllWidths([x]);
        foreach (var (width, value) in new[] { ("Vector512", results.V512[0]), ("Vector256", results.V256[0]), ("Vector128", results.V128[0]), ("float", results.Scalar[0]) })
        {
            Assert.True(SameValue(expected, value), $"{name}({x:R}) on {width} is {Show(value)}, expected {Show(expected)}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(FunctionNames))]
    public void FullSweepOfAllFloats(string name)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("GRAPHDL_VECTORMATH_FULL_SWEEP") == "1", "set GRAPHDL_VECTORMATH_FULL_SWEEP=1 for the 2^32 sweep");
        var function = VectorMathFunctions.All[name];
        var sweep = UlpSweep.RunAllFloats(function);
        output.WriteLine($"{name}: {sweep}");
        Assert.True(sweep.SpecialMismatches == 0, $"{name}: {sweep.SpecialMismatches} special-value mismatches, first {sweep.FirstSpecialMismatch}");
        Assert.True(sweep.MaxUlp <= function.MaxUlp, $"{name}: {sweep}; documented bound {function.MaxUlp} ulp");
    }

    /// <summary>Every 4099th bit pattern, then ±<see cref="DenseHalfWidth"/> patterns around each hard point and its negation.</summary>
    internal static float[] SweepInputs(VectorMathFunction function)
    {
        var inputs = new List<float>();
        for (long bits = 0; bits <= uint.MaxValue; bits += SweepStride)
        {
            inputs.Add(BitConverter.Int32BitsToSingle((int)(uint)bits));
        }
        foreach (float point in function.HardPoints.Concat([0f, 1.17549435e-38f, 1f]))
        {
            foreach (float signed in new[] { point, -point })
            {
                // Walk in value order, so the window around 0 crosses into the other sign's subnormals.
                long center = UlpSweep.OrderedIndex(signed);
                for (long offset = -DenseHalfWidth; offset <= DenseHalfWidth; offset++)
                {
                    inputs.Add(UlpSweep.FromOrderedIndex(center + offset));
                }
            }
        }
        return inputs.ToArray();
    }

    private static bool SameValue(float expected, float actual) =>
        float.IsNaN(expected) ? float.IsNaN(actual) : BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual);

    private static string Show(float value) => value == 0 && float.IsNegative(value) ? "-0" : value.ToString("R");
}
