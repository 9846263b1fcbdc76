using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>reduce_sum, reduce_max, reduce_min, argmax, argmin. Expectations are written out by hand.</summary>
public sealed class ReductionSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;
    private const double DInf = double.PositiveInfinity;
    private const double DNaN = double.NaN;

    public override IEnumerable<OpSample> Samples() =>
        ReduceSum().Concat(ReduceMax()).Concat(ReduceMin()).Concat(ArgMax()).Concat(ArgMin());

    private static IEnumerable<OpSample> ReduceSum()
    {
        yield return Sample("reduce_sum", "f32 rows", Covers.Negative)
            .In(T.F32([1, -2, 3, 4, 5, -6], 2, 3))
            .Attr("axes", 1)
            .Expect(T.F32([2, 3]));
        yield return Sample("reduce_sum", "axis 0 keepdims", Covers.Negative | Covers.Size1)
            .In(T.F32([1, -2, 3, 4, 5, -6], 2, 3))
            .Attr("axes", 0).Attr("keepdims", true)
            .Expect(T.F32([5, 3, -3], 1, 3));
        yield return Sample("reduce_sum", "all axes of rank 3 to rank 0", Covers.Rank0)
            .In(T.I32([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2))
            .Attr("axes", 0, 1, 2)
            .Expect(T.Scalar(36));
        yield return Sample("reduce_sum", "rank 0 with no axes is a copy", Covers.Rank0 | Covers.Negative)
            .In(T.Scalar(-2.5f))
            .Attr("axes")
            .Expect(T.Scalar(-2.5f));
        yield return Sample("reduce_sum", "no axes copies a matrix", Covers.None)
            .In(T.I64([7, -8, 9, -10], 2, 2))
            .Attr("axes")
            .Expect(T.I64([7, -8, 9, -10], 2, 2));
        yield return Sample("reduce_sum", "outer axes of rank 3 keepdims", Covers.Size1)
            .In(T.F64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 2, 3, 2))
            .Attr("axes", 0, 2).Attr("keepdims", true)
            .Expect(T.F64([14, 22, 30], 1, 3, 1));
        yield return Sample("reduce_sum", "size-1 axis", Covers.Size1 | Covers.Negative)
            .In(T.I64([-1, 2, -3], 3, 1))
            .Attr("axes", 1)
            .Expect(T.I64([-1, 2, -3]));
        yield return Sample("reduce_sum", "empty reduced axis sums to 0", Covers.Empty)
            .In(T.Empty(DType.F32, 2, 0))
            .Attr("axes", 1)
            .Expect(T.F32([0, 0]));
        yield return Sample("reduce_sum", "empty i32 all axes keepdims", Covers.Empty | Covers.Size1)
            .In(T.Empty(DType.I32, 0, 3))
            .Attr("axes", 0, 1).Attr("keepdims", true)
            .Expect(T.I32([0], 1, 1));
        yield return Sample("reduce_sum", "empty kept axis", Covers.Empty)
            .In(T.Empty(DType.F32, 0, 3))
            .Attr("axes", 1)
            .Expect(T.Empty(DType.F32, 0));
        yield return Sample("reduce_sum", "inf and nan", Covers.NonFinite)
            .In(T.F32([Inf, 1, Inf, -Inf, NaN, 0, -Inf, -Inf], 4, 2))
            .Attr("axes", 1)
            .Expect(T.F32([Inf, NaN, NaN, -Inf]));
        yield return Sample("reduce_sum", "i32 wraps", Covers.Negative)
            .In(T.I32([int.MaxValue, 1, int.MinValue, -2], 2, 2))
            .Attr("axes", 1)
            .Expect(T.I32([int.MinValue, int.MaxValue - 1]));
        // Summed in f32 step by step, 2^24 + 1 + 1 would stay 2^24; in double and rounded once it is 2^24 + 2.
        yield return Sample("reduce_sum", "f32 rounds once", Covers.None)
            .In(T.F32([16777216, 1, 1]))
            .Attr("axes", 0)
            .Expect(T.Scalar(16777218f));
        yield return Sample("reduce_sum", "f16 rounds once", Covers.None)
            .In(T.Of(DType.F16, [2048, 1, 1]))
            .Attr("axes", 0)
            .Expect(T.Of(DType.F16, [2050]));
        yield return Sample("reduce_sum", "axis out of range", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("axes", 2)
            .Throws("axes=[2]: axis 2 is out of range for f32[2,3]");
        yield return Sample("reduce_sum", "negative axis", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("axes", -1)
            .Throws("axes=[-1]: axis -1 is out of range for f32[2,3]");
        yield return Sample("reduce_sum", "axes out of order", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("axes", 1, 0)
            .Throws("axes=[1,0] must be strictly increasing");
        yield return Sample("reduce_sum", "repeated axis", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("axes", 0, 0)
            .Throws("axes=[0,0] must be strictly increasing");
        yield return Sample("reduce_sum", "bool rejected", Covers.Error)
            .In(T.Bool([true, false]))
            .Attr("axes", 0)
            .Throws("operand must be a numeric type (float or integer), got bool[2]");
        yield return Sample("reduce_sum", "axes missing", Covers.Error)
            .In(T.F32([1, 2]))
            .Throws("reduce_sum needs attribute 'axes'");
    }

    private static IEnumerable<OpSample> ReduceMax()
    {
        yield return Sample("reduce_max", "f32 rows keepdims", Covers.Negative | Covers.Size1)
            .In(T.F32([1, -2, 3, -4, -5, -6], 2, 3))
            .Attr("axes", 1).Attr("keepdims", true)
            .Expect(T.F32([3, -4], 2, 1));
        yield return Sample("reduce_max", "i32 columns", Covers.Negative)
            .In(T.I32([3, -1, -7, 2, 0, -5], 3, 2))
            .Attr("axes", 0)
            .Expect(T.I32([3, 2]));
        yield return Sample("reduce_max", "nan propagates", Covers.NonFinite)
            .In(T.F32([1, NaN, 3, -Inf, -Inf, -Inf, Inf, NaN, 2, NaN, 1, 2, Inf, 0, -Inf], 5, 3))
            .Attr("axes", 1)
            .Expect(T.F32([NaN, -Inf, NaN, NaN, Inf]));
        yield return Sample("reduce_max", "all axes to rank 0", Covers.Rank0 | Covers.Negative)
            .In(T.I64([-7, 3, long.MaxValue, -1], 2, 2))
            .Attr("axes", 0, 1)
            .Expect(T.Scalar(long.MaxValue));
        yield return Sample("reduce_max", "rank 0 with no axes", Covers.Rank0)
            .In(T.Scalar(-3.5))
            .Attr("axes")
            .Expect(T.Scalar(-3.5));
        yield return Sample("reduce_max", "outer axes of rank 3", Covers.Negative)
            .In(T.I32([0, -1, 2, -3, 4, -5, 6, -7, 8, -9, 10, -11], 2, 2, 3))
            .Attr("axes", 0, 2)
            .Expect(T.I32([8, 10]));
        yield return Sample("reduce_max", "empty f32 is -inf", Covers.Empty)
            .In(T.Empty(DType.F32, 3, 0))
            .Attr("axes", 1)
            .Expect(T.F32([-Inf, -Inf, -Inf]));
        yield return Sample("reduce_max", "empty i32 is its least value", Covers.Empty)
            .In(T.Empty(DType.I32, 0, 2))
            .Attr("axes", 0)
            .Expect(T.I32([int.MinValue, int.MinValue]));
        yield return Sample("reduce_max", "empty i64 to rank 0 is its least value", Covers.Empty | Covers.Rank0)
            .In(T.Empty(DType.I64, 2, 0))
            .Attr("axes", 0, 1)
            .Expect(T.Scalar(long.MinValue));
        yield return Sample("reduce_max", "axis out of range", Covers.Error)
            .In(T.F32([1, 2, 3]))
            .Attr("axes", 1)
            .Throws("axes=[1]: axis 1 is out of range for f32[3]");
        yield return Sample("reduce_max", "bool rejected", Covers.Error)
            .In(T.Bool([true, false, true], 3, 1))
            .Attr("axes", 1)
            .Throws("got bool[3,1]");
    }

    private static IEnumerable<OpSample> ReduceMin()
    {
        yield return Sample("reduce_min", "i32 columns", Covers.Negative)
            .In(T.I32([3, -1, -7, 2, 0, 5], 3, 2))
            .Attr("axes", 0)
            .Expect(T.I32([-7, -1]));
        yield return Sample("reduce_min", "nan propagates", Covers.NonFinite)
            .In(T.F64([2, DNaN, DInf, DInf, -DInf, 1, DNaN, -DInf], 4, 2))
            .Attr("axes", 1)
            .Expect(T.F64([DNaN, DInf, -DInf, DNaN]));
        yield return Sample("reduce_min", "inner axes keepdims", Covers.Size1 | Covers.Negative)
            .In(T.F32([4, -1, 2, 3, -8, 5, 6, 7], 2, 2, 2))
            .Attr("axes", 1, 2).Attr("keepdims", true)
            .Expect(T.F32([-1, -8], 2, 1, 1));
        yield return Sample("reduce_min", "rank 0 with no axes", Covers.Rank0)
            .In(T.Scalar(5))
            .Attr("axes")
            .Expect(T.Scalar(5));
        yield return Sample("reduce_min", "empty f64 is +inf", Covers.Empty | Covers.Rank0)
            .In(T.Empty(DType.F64, 0))
            .Attr("axes", 0)
            .Expect(T.Scalar(DInf));
        yield return Sample("reduce_min", "empty i32 is its greatest value", Covers.Empty)
            .In(T.Empty(DType.I32, 0))
            .Attr("axes", 0)
            .Expect(T.Scalar(int.MaxValue));
        yield return Sample("reduce_min", "empty i64 is its greatest value", Covers.Empty)
            .In(T.Empty(DType.I64, 2, 0, 3))
            .Attr("axes", 1)
            .Expect(T.I64([long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue], 2, 3));
        yield return Sample("reduce_min", "negative axis", Covers.Error)
            .In(T.F32([1, 2, 3]))
            .Attr("axes", -1)
            .Throws("axes=[-1]: axis -1 is out of range for f32[3]");
        yield return Sample("reduce_min", "axes out of order", Covers.Error)
            .In(T.I32([1, 2, 3, 4], 1, 2, 2))
            .Attr("axes", 2, 1)
            .Throws("axes=[2,1] must be strictly increasing");
        yield return Sample("reduce_min", "bool rejected", Covers.Error)
            .In(T.Bool([true]))
            .Attr("axes")
            .Throws("operand must be a numeric type (float or integer), got bool[]");
    }

    private static IEnumerable<OpSample> ArgMax()
    {
        yield return Sample("argmax", "rows, first of ties", Covers.Negative)
            .In(T.F32([1, 3, 3, -5, -2, -9], 2, 3))
            .Attr("axis", 1L)
            .Expect(T.I64([1, 1]));
        yield return Sample("argmax", "first nan wins", Covers.NonFinite)
            .In(T.F32([1, NaN, NaN, Inf, 2, Inf, -Inf, -Inf, NaN, -Inf, -Inf, -Inf], 4, 3))
            .Attr("axis", 1L)
            .Expect(T.I64([1, 0, 2, 0]));
        yield return Sample("argmax", "axis 0 keepdims", Covers.Size1 | Covers.Negative)
            .In(T.I32([1, 5, 7, 5, 7, -1], 3, 2))
            .Attr("axis", 0L).Attr("keepdims", true)
            .Expect(T.I64([1, 0], 1, 2));
        yield return Sample("argmax", "vector to rank 0", Covers.Rank0 | Covers.Negative)
            .In(T.I64([-3, -1, -2]))
            .Attr("axis", 0L)
            .Expect(T.Scalar(1L));
        yield return Sample("argmax", "middle axis of rank 3", Covers.None)
            .In(T.F64([0, 5, 4, 1, 2, 9, 6, 3, 8, 7, 1, 1], 2, 3, 2))
            .Attr("axis", 1L)
            .Expect(T.I64([1, 2, 1, 1], 2, 2));
        yield return Sample("argmax", "size-1 axis", Covers.Size1)
            .In(T.F32([4, -4], 2, 1))
            .Attr("axis", 1L)
            .Expect(T.I64([0, 0]));
        yield return Sample("argmax", "empty other axis", Covers.Empty)
            .In(T.Empty(DType.F32, 0, 3))
            .Attr("axis", 1L)
            .Expect(T.Empty(DType.I64, 0));
        yield return Sample("argmax", "size-0 axis rejected", Covers.Error | Covers.Empty)
            .In(T.Empty(DType.F32, 2, 0))
            .Attr("axis", 1L)
            .Throws("axis=1 of f32[2,0] has size 0");
        yield return Sample("argmax", "rank 0 rejected", Covers.Error | Covers.Rank0)
            .In(T.Scalar(1f))
            .Attr("axis", 0L)
            .Throws("operand f32[] has rank 0");
        yield return Sample("argmax", "axis out of range", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("axis", 2L)
            .Throws("axis=2 is out of range for rank 2");
        yield return Sample("argmax", "bool rejected", Covers.Error)
            .In(T.Bool([true, false]))
            .Attr("axis", 0L)
            .Throws("operand must be a numeric type (float or integer), got bool[2]");
    }

    private static IEnumerable<OpSample> ArgMin()
    {
        yield return Sample("argmin", "rows, first of ties", Covers.Negative)
            .In(T.I32([4, -2, -2, 0, 0, 0], 2, 3))
            .Attr("axis", 1L)
            .Expect(T.I64([1, 0]));
        yield return Sample("argmin", "first nan wins", Covers.NonFinite)
            .In(T.F64([-DInf, DNaN, -DInf, 1, -DInf, -DInf, DNaN, DNaN, 0, DInf, DInf, 5], 4, 3))
            .Attr("axis", 1L)
            .Expect(T.I64([1, 1, 0, 2]));
        yield return Sample("argmin", "axis 0 keepdims", Covers.Size1 | Covers.Negative)
            .In(T.F32([2, -1, -3, -1], 2, 2))
            .Attr("axis", 0L).Attr("keepdims", true)
            .Expect(T.I64([1, 0], 1, 2));
        yield return Sample("argmin", "single element to rank 0", Covers.Rank0 | Covers.Size1)
            .In(T.F32([5], 1))
            .Attr("axis", 0L)
            .Expect(T.Scalar(0L));
        yield return Sample("argmin", "last axis of rank 3 keepdims", Covers.Negative)
            .In(T.I64([3, -3, -8, -8, 0, 1, long.MinValue, long.MaxValue], 2, 2, 2))
            .Attr("axis", 2L).Attr("keepdims", true)
            .Expect(T.I64([1, 0, 0, 0], 2, 2, 1));
        yield return Sample("argmin", "empty other axis", Covers.Empty)
            .In(T.Empty(DType.I64, 3, 0))
            .Attr("axis", 0L)
            .Expect(T.Empty(DType.I64, 0));
        yield return Sample("argmin", "size-0 axis rejected", Covers.Error | Covers.Empty)
            .In(T.Empty(DType.I32, 0, 4))
            .Attr("axis", 0L)
            .Throws("axis=0 of i32[0,4] has size 0");
        yield return Sample("argmin", "negative axis rejected", Covers.Error)
            .In(T.F32([1, 2]))
            .Attr("axis", -1L)
            .Throws("axis=-1 is out of range for rank 1");
        yield return Sample("argmin", "bool rejected", Covers.Error)
            .In(T.Bool([true, false]))
            .Attr("axis", 0L)
            .Throws("got bool[2]");
    }
}
