using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>add, sub, mul, div. Expectations are written out by hand.</summary>
public sealed class ArithmeticSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;

    public override IEnumerable<OpSample> Samples()
    {
        yield return Sample("add", "f32 vector", Covers.Negative)
            .In(T.F32([1, -2, 3.5f]), T.F32([0.5f, -0.25f, -3.5f]))
            .Expect(T.F32([1.5f, -2.25f, 0]));
        yield return Sample("add", "rank 0", Covers.Rank0)
            .In(T.Scalar(2.0), T.Scalar(-0.5))
            .Expect(T.Scalar(1.5));
        yield return Sample("add", "size-1 dims", Covers.Size1)
            .In(T.I32([1, 2], 1, 2, 1), T.I32([10, 20], 1, 2, 1))
            .Expect(T.I32([11, 22], 1, 2, 1));
        yield return Sample("add", "empty", Covers.Empty)
            .In(T.Empty(DType.F32, 3, 0), T.Empty(DType.F32, 3, 0))
            .Expect(T.Empty(DType.F32, 3, 0));
        yield return Sample("add", "inf and nan", Covers.NonFinite)
            .In(T.F32([Inf, Inf, NaN, -Inf]), T.F32([1, -Inf, 0, -Inf]))
            .Expect(T.F32([Inf, NaN, NaN, -Inf]));
        yield return Sample("add", "i32 wraps", Covers.Negative)
            .In(T.I32([int.MaxValue, int.MinValue]), T.I32([1, -1]))
            .Expect(T.I32([int.MinValue, int.MaxValue]));
        yield return Sample("add", "shapes differ", Covers.Error)
            .In(T.F32([1, 2]), T.F32([1, 2, 3]))
            .Throws("operand shapes differ: f32[2] and f32[3]");
        yield return Sample("add", "dtypes differ", Covers.Error)
            .In(T.F32([1, 2]), T.F64([1, 2]))
            .Throws("operand dtypes differ");
        yield return Sample("add", "bool rejected", Covers.Error)
            .In(T.Bool([true]), T.Bool([false]))
            .Throws("must be");
    }
}
