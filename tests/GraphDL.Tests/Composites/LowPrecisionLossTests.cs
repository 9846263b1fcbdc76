using GraphDL.IR;
using GraphDL.IR.Ops;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>
/// f16/bf16 log_softmax, cross_entropy and mean accumulate in f32 and cast back (before, f16 gave log_softmax 0 at
/// logits of 3e4 and a mean of ∞ once the sum passed 65504); f64 expm1 is finite up to where exp overflows (before, ∞
/// from about 703). Each on the interpreter and the compiled CPU backend.
/// </summary>
public class LowPrecisionLossTests
{
    private static HostTensor Half(DType dtype, double[] values, params int[] shape) => HostTensor.FromDoubles(dtype, new Shape(shape), values);

    /// <summary>The value rounded to <paramref name="dtype"/>, as the expected result of a computation in f32 cast back.</summary>
    private static double Rounded(DType dtype, double value) => Half(dtype, [value], 1).GetDouble(0);

    private static IEnumerable<(string Where, HostTensor Result)> BothBackends(Func<Tensor[], Tensor> f, params HostTensor[] inputs) =>
        [("interpreter", One(f, inputs)), ("compiled", ClassLossValueTests.Compiled(f, inputs))];

    /// <summary>One unit in the last place, relative: f32 results rounded again to the dtype may land one ulp off the double's rounding.</summary>
    private static double Ulp(DType dtype) => dtype == DType.F16 ? Math.Pow(2, -10) : Math.Pow(2, -7);

    public static TheoryData<DType> HalfTypes() => new(DType.F16, DType.BF16);

    [Theory]
    [MemberData(nameof(HalfTypes))]
    public void MeanOfAnF16SumBeyond65504IsFinite(DType dtype)
    {
        var x = Half(dtype, Enumerable.Repeat(30.0, 4096).ToArray(), 64, 64);
        foreach (var (where, result) in BothBackends(t => t[0].Mean(), x))
        {
            Assert.Equal(dtype, result.DType);
            AssertClose(30, result, 0, 0, where);
        }
        foreach (var (where, result) in BothBackends(t => t[0].Mean(1), x))
        {
            AssertClose(Enumerable.Repeat(30.0, 64).ToArray(), result, 0, 0, where + " rows");
        }
        var ones = Half(dtype, Enumerable.Repeat(1.0, 1000).ToArray(), 1000);
        foreach (var (where, result) in BothBackends(t => t[0].Mean(), ones))
        {
            AssertClose(1, result, 0, 0, where + " ones");
        }
    }

    [Theory]
    [MemberData(nameof(HalfTypes))]
    public void LogSoftmaxKeepsTheLogOfTheSumAtLargeLogits(DType dtype)
    {
        // logsumexp(3e4, 3e4) = 3e4 + log 2, which f16 and bf16 round to 3e4: the result was 0, not −log 2.
        var x = Half(dtype, [3e4, 3e4, -3e4, -3e4 + Math.Log(3)], 2, 2);
        double log2 = Rounded(dtype, -Math.Log(2));
        double[] expected = [log2, log2, Rounded(dtype, -Math.Log(4)), Rounded(dtype, -Math.Log(4.0 / 3))];
        foreach (var (where, result) in BothBackends(t => F.LogSoftmax(t[0]), x))
        {
            Assert.Equal(dtype, result.DType);
            AssertClose(expected[..2], Half(dtype, result.ToDoubleArray()[..2], 2), 0, Ulp(dtype), where);
            // The second row's inputs are themselves rounded (−3e4 + log 3 is −3e4 in f16): compare with its rounded input.
            var row = x.ToDoubleArray()[2..];
            double lse = Math.Max(row[0], row[1]) + Math.Log(Math.Exp(row[0] - Math.Max(row[0], row[1])) + Math.Exp(row[1] - Math.Max(row[0], row[1])));
            AssertClose([Rounded(dtype, row[0] - lse), Rounded(dtype, row[1] - lse)], Half(dtype, result.ToDoubleArray()[2..], 2), 0, Ulp(dtype), where + " row 2");
        }
    }

    [Theory]
    [MemberData(nameof(HalfTypes))]
    public void CrossEntropyIsComputedInF32(DType dtype)
    {
        var tie = Half(dtype, [3e4, 3e4], 1, 2);
        foreach (var (where, result) in BothBackends(t => F.CrossEntropy(t[0], t[1]), tie, I64([0], 1)))
        {
            Assert.Equal(dtype, result.DType);
            AssertClose(Rounded(dtype, Math.Log(2)), result, 0, Ulp(dtype), where + " tie");
        }
        // 64 rows of loss 2000: their sum, 128000, is beyond f16; the mean is 2000.
        var rows = Half(dtype, Enumerable.Range(0, 128).Select(i => i % 2 == 0 ? 0.0 : -2000).ToArray(), 64, 2);
        foreach (var (where, result) in BothBackends(t => F.CrossEntropy(t[0], t[1], weight: t[2]), rows, I64(Enumerable.Repeat(1L, 64).ToArray(), 64), Half(dtype, [1, 1], 2)))
        {
            AssertClose(2000, result, 0, 0, where + " mean");
        }
        foreach (var (where, result) in BothBackends(t => F.CrossEntropy(t[0], t[1], 0.1), rows, Half(dtype, Enumerable.Range(0, 128).Select(i => i % 2 == 0 ? 0.0 : 1).ToArray(), 64, 2)))
        {
            // Probability targets on class 1, smoothed: 0.95·2000 + 0.05·0.
            AssertClose(Rounded(dtype, 1900), result, 0, 0, where + " probabilities");
        }
        foreach (var (where, result) in BothBackends(t => F.NllLoss(t[0], t[1]), rows, I64(Enumerable.Repeat(1L, 64).ToArray(), 64)))
        {
            AssertClose(2000, result, 0, 0, where + " nll");
        }
    }

    [Fact]
    public void F64Expm1IsFiniteUpToWhereExpOverflows()
    {
        double[] x = [1, 30, 700, 705, 709, 709.78, 710, -800];
        var expected = x.Select(v => Math.Exp(v) - 1).ToArray();
        Assert.True(double.IsFinite(expected[5]) && double.IsPositiveInfinity(expected[6]));
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(ReferenceMath.Expm1(x[i]) - expected[i]) <= 4e-16 * Math.Abs(expected[i]) || ReferenceMath.Expm1(x[i]) == expected[i], $"expm1({x[i]})");
        }
        foreach (var (where, result) in BothBackends(t => t[0].Expm1(), F64(x, x.Length)))
        {
            AssertClose(expected, result, 0, 4e-16, where);
        }
        // Its derivative e^x = expm1(x) + 1 is finite there too.
        AssertClose(x[..6].Select(Math.Exp).ToArray(), Run(Trace(t => GraphDL.Autodiff.Grad(t[0].Expm1().Sum(), [t[0]]), F64(x[..6], 6)), [F64(x[..6], 6)])[0], 0, 4e-16, "derivative");
    }
}
