using System.Runtime.Intrinsics;

namespace GraphDL.Tests.Codegen;

/// <summary>What a sweep found: the largest ulp error and where, and the special-value mismatches.</summary>
internal sealed record UlpSweepResult(long Count, long MaxUlp, float WorstInput, float WorstResult, float WorstReference,
    long SpecialMismatches, string FirstSpecialMismatch, long[] Histogram)
{
    public override string ToString() =>
        $"max {MaxUlp} ulp over {Count} inputs at x = {WorstInput:R} (0x{BitConverter.SingleToInt32Bits(WorstInput):X8}): " +
        $"{WorstResult:R}, reference {WorstReference:R}; inputs at 0/1/2/3+ ulp: {string.Join("/", Histogram)}";
}

/// <summary>
/// Measures a <see cref="VectorMathFunction"/> (through its Vector512 path; the other widths are checked equal to it
/// separately) against its reference rounded to float.
/// </summary>
internal static class UlpSweep
{
    public static UlpSweepResult Run(VectorMathFunction function, float[] inputs)
    {
        var accumulator = new Accumulator();
        float[] results = function.EvaluateVector512(inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            accumulator.Add(inputs[i], results[i], (float)function.Reference(inputs[i]));
        }
        return accumulator.Result();
    }

    /// <summary>All 2^32 bit patterns, in parallel chunks.</summary>
    public static UlpSweepResult RunAllFloats(VectorMathFunction function)
    {
        const int Chunks = 1 << 12;
        const long PerChunk = (1L << 32) / Chunks;
        var total = new Accumulator();
        Parallel.For(0, Chunks, () => new Accumulator(), (chunk, _, accumulator) =>
        {
            Span<float> inputs = stackalloc float[Vector512<float>.Count];
            Span<float> results = stackalloc float[Vector512<float>.Count];
            for (long bits = chunk * PerChunk; bits < (chunk + 1) * PerChunk; bits += inputs.Length)
            {
                for (int j = 0; j < inputs.Length; j++)
                {
                    inputs[j] = BitConverter.Int32BitsToSingle((int)(uint)(bits + j));
                }
                function.V512(Vector512.Create(inputs)).CopyTo(results);
                for (int j = 0; j < inputs.Length; j++)
                {
                    accumulator.Add(inputs[j], results[j], (float)function.Reference(inputs[j]));
                }
            }
            return accumulator;
        }, accumulator => { lock (total) { total.Merge(accumulator); } });
        return total.Result();
    }

    /// <summary>The float's position in value order: −ε is −1, ±0 are 0, ε is 1, float.MaxValue + 1 is +Inf.</summary>
    public static long OrderedIndex(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        return bits >= 0 ? bits : (long)int.MinValue - bits;
    }

    public static float FromOrderedIndex(long index) =>
        BitConverter.Int32BitsToSingle(index >= 0 ? (int)index : (int)((long)int.MinValue - index));

    private sealed class Accumulator
    {
        private readonly long[] histogram = new long[4];
        private long count, maxUlp = -1, specialMismatches;
        private float worstInput, worstResult, worstReference;
        private string firstSpecialMismatch = "";

        public void Add(float x, float result, float reference)
        {
            count++;
            if (IsSpecialMismatch(result, reference))
            {
                if (specialMismatches++ == 0)
                {
                    firstSpecialMismatch = $"x = {x:R} (0x{BitConverter.SingleToInt32Bits(x):X8}): {Show(result)}, reference {Show(reference)}";
                }
                return;
            }
            long ulps = float.IsNaN(reference) ? 0 : Math.Abs(OrderedIndex(result) - OrderedIndex(reference));
            histogram[Math.Min(ulps, 3)]++;
            if (ulps > maxUlp)
            {
                (maxUlp, worstInput, worstResult, worstReference) = (ulps, x, result, reference);
            }
        }

        public void Merge(Accumulator other)
        {
            count += other.count;
            for (int i = 0; i < histogram.Length; i++)
            {
                histogram[i] += other.histogram[i];
            }
            if (other.maxUlp > maxUlp)
            {
                (maxUlp, worstInput, worstResult, worstReference) = (other.maxUlp, other.worstInput, other.worstResult, other.worstReference);
            }
            if (specialMismatches == 0)
            {
                firstSpecialMismatch = other.firstSpecialMismatch;
            }
            specialMismatches += other.specialMismatches;
        }

        public UlpSweepResult Result() =>
            new(count, maxUlp, worstInput, worstResult, worstReference, specialMismatches, firstSpecialMismatch, histogram);

        /// <summary>NaN, infinity and the sign of zero must match exactly; anything else is measured in ulps.</summary>
        private static bool IsSpecialMismatch(float result, float reference) =>
            float.IsNaN(result) != float.IsNaN(reference)
            || ((float.IsInfinity(result) || float.IsInfinity(reference)) && result != reference)
            || result == 0 && reference == 0 && float.IsNegative(result) != float.IsNegative(reference);
    }

    private static string Show(float value) => value == 0 && float.IsNegative(value) ? "-0" : value.ToString("R");
}
