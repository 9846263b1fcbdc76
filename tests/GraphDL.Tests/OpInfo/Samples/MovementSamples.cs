using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>reshape, permute, broadcast_in_dim, slice, pad, concat. Expectations are written out by hand.</summary>
public sealed class MovementSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;
    private const double DInf = double.PositiveInfinity;
    private const double DNaN = double.NaN;

    public override IEnumerable<OpSample> Samples() =>
        Reshape().Concat(Permute()).Concat(BroadcastInDim()).Concat(Slice()).Concat(Pad()).Concat(Concat());

    private static IEnumerable<OpSample> Reshape()
    {
        yield return Sample("reshape", "2x3 to 3x2", Covers.Negative)
            .In(T.F32([1, -2, 3, -4, 5, -6], 2, 3))
            .Attr("shape", 3, 2)
            .Expect(T.F32([1, -2, 3, -4, 5, -6], 3, 2));
        yield return Sample("reshape", "rank 3 to vector", Covers.Negative)
            .In(T.I64([1, -2, 3, -4, 5, -6, 7, -8], 2, 2, 2))
            .Attr("shape", 8)
            .Expect(T.I64([1, -2, 3, -4, 5, -6, 7, -8]));
        yield return Sample("reshape", "size-1 dims to rank 0", Covers.Size1 | Covers.Rank0)
            .In(T.F32([7], 1, 1))
            .Attr("shape")
            .Expect(T.Scalar(7f));
        yield return Sample("reshape", "rank 0 to size-1 dims", Covers.Rank0 | Covers.Size1 | Covers.Negative)
            .In(T.Scalar(-4))
            .Attr("shape", 1, 1, 1)
            .Expect(T.I32([-4], 1, 1, 1));
        yield return Sample("reshape", "empty", Covers.Empty)
            .In(T.Empty(DType.F32, 0, 3))
            .Attr("shape", 3, 0, 2)
            .Expect(T.Empty(DType.F32, 3, 0, 2));
        yield return Sample("reshape", "inf and nan", Covers.NonFinite)
            .In(T.F64([DNaN, DInf, -DInf, 0]))
            .Attr("shape", 2, 2)
            .Expect(T.F64([DNaN, DInf, -DInf, 0], 2, 2));
        yield return Sample("reshape", "bool", Covers.None)
            .In(T.Bool([true, false, false, true, true, false]))
            .Attr("shape", 2, 3)
            .Expect(T.Bool([true, false, false, true, true, false], 2, 3));
        yield return Sample("reshape", "element counts differ", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("shape", 4)
            .Throws("cannot reshape f32[2,3] (6 elements) to shape=[4] (4 elements)");
        yield return Sample("reshape", "-1 is not allowed", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("shape", -1, 3)
            .Throws("shape=[-1,3] has a negative dimension -1");
        yield return Sample("reshape", "shape missing", Covers.Error)
            .In(T.F32([1, 2]))
            .Throws("reshape needs attribute 'shape'");
    }

    private static IEnumerable<OpSample> Permute()
    {
        yield return Sample("permute", "transpose", Covers.Negative)
            .In(T.F32([1, -2, 3, -4, 5, -6], 2, 3))
            .Attr("perm", 1, 0)
            .Expect(T.F32([1, -4, -2, 5, 3, -6], 3, 2));
        // result[a, b, c] = x[b, c, a] = 12b + 4c + a
        yield return Sample("permute", "rank 3 rotation", Covers.None)
            .In(T.I32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23], 2, 3, 4))
            .Attr("perm", 2, 0, 1)
            .Expect(T.I32([0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23], 4, 2, 3));
        // result[0, k, i] = x[i, 0, k]
        yield return Sample("permute", "rank 3 with a size-1 axis", Covers.Size1 | Covers.Negative)
            .In(T.F64([1, -2, 3, 4, -5, 6], 2, 1, 3))
            .Attr("perm", 1, 2, 0)
            .Expect(T.F64([1, 4, -2, -5, 3, 6], 1, 3, 2));
        yield return Sample("permute", "rank 0", Covers.Rank0)
            .In(T.Scalar(2.5f))
            .Attr("perm")
            .Expect(T.Scalar(2.5f));
        yield return Sample("permute", "empty", Covers.Empty)
            .In(T.Empty(DType.F32, 2, 0, 3))
            .Attr("perm", 2, 1, 0)
            .Expect(T.Empty(DType.F32, 3, 0, 2));
        yield return Sample("permute", "inf and nan", Covers.NonFinite)
            .In(T.F32([NaN, Inf, -Inf, 0], 2, 2))
            .Attr("perm", 1, 0)
            .Expect(T.F32([NaN, -Inf, Inf, 0], 2, 2));
        yield return Sample("permute", "bool", Covers.None)
            .In(T.Bool([true, false, false, true, true, false], 2, 3))
            .Attr("perm", 1, 0)
            .Expect(T.Bool([true, true, false, true, false, false], 3, 2));
        yield return Sample("permute", "repeated axis", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("perm", 0, 0)
            .Throws("perm=[0,0] is not a permutation of the axes 0 to 1 of f32[2,3]");
        yield return Sample("permute", "axis out of range", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("perm", 0, 2)
            .Throws("perm=[0,2] is not a permutation");
        yield return Sample("permute", "wrong length", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("perm", 0)
            .Throws("perm=[0] has 1 entries but the operand f32[2,3] has rank 2");
    }

    private static IEnumerable<OpSample> BroadcastInDim()
    {
        yield return Sample("broadcast_in_dim", "row to matrix", Covers.Negative)
            .In(T.F32([1, -2, 3]))
            .Attr("shape", 2, 3).Attr("dims", 1)
            .Expect(T.F32([1, -2, 3, 1, -2, 3], 2, 3));
        yield return Sample("broadcast_in_dim", "column to matrix", Covers.Negative)
            .In(T.F32([-1, 2]))
            .Attr("shape", 2, 3).Attr("dims", 0)
            .Expect(T.F32([-1, -1, -1, 2, 2, 2], 2, 3));
        yield return Sample("broadcast_in_dim", "size-1 operand axis repeats", Covers.Size1 | Covers.Negative)
            .In(T.F32([1, -2, 3], 1, 3))
            .Attr("shape", 2, 3).Attr("dims", 0, 1)
            .Expect(T.F32([1, -2, 3, 1, -2, 3], 2, 3));
        yield return Sample("broadcast_in_dim", "rank 2 into rank 3 with a size-1 axis", Covers.Size1)
            .In(T.I32([5, 6], 2, 1))
            .Attr("shape", 3, 2, 4).Attr("dims", 1, 2)
            .Expect(T.I32([5, 5, 5, 5, 6, 6, 6, 6, 5, 5, 5, 5, 6, 6, 6, 6, 5, 5, 5, 5, 6, 6, 6, 6], 3, 2, 4));
        yield return Sample("broadcast_in_dim", "rank 0 to matrix", Covers.Rank0 | Covers.Negative)
            .In(T.Scalar(-2.5))
            .Attr("shape", 2, 2).Attr("dims")
            .Expect(T.F64([-2.5, -2.5, -2.5, -2.5], 2, 2));
        yield return Sample("broadcast_in_dim", "rank 0 to rank 0", Covers.Rank0)
            .In(T.Scalar(true))
            .Attr("shape").Attr("dims")
            .Expect(T.Scalar(true));
        yield return Sample("broadcast_in_dim", "empty operand", Covers.Empty)
            .In(T.Empty(DType.F32, 0))
            .Attr("shape", 2, 0).Attr("dims", 1)
            .Expect(T.Empty(DType.F32, 2, 0));
        yield return Sample("broadcast_in_dim", "size 1 to size 0", Covers.Empty | Covers.Size1)
            .In(T.I64([7], 1, 1))
            .Attr("shape", 0, 1).Attr("dims", 0, 1)
            .Expect(T.Empty(DType.I64, 0, 1));
        yield return Sample("broadcast_in_dim", "inf and nan", Covers.NonFinite)
            .In(T.F64([DNaN, -DInf]))
            .Attr("shape", 2, 2).Attr("dims", 0)
            .Expect(T.F64([DNaN, DNaN, -DInf, -DInf], 2, 2));
        yield return Sample("broadcast_in_dim", "bool", Covers.None)
            .In(T.Bool([true, false]))
            .Attr("shape", 2, 2).Attr("dims", 1)
            .Expect(T.Bool([true, false, true, false], 2, 2));
        yield return Sample("broadcast_in_dim", "sizes differ", Covers.Error)
            .In(T.F32([1, 2, 3]))
            .Attr("shape", 2, 4).Attr("dims", 1)
            .Throws("operand f32[3] axis 0 has size 3 but result axis 1 of shape=[2,4] has size 4");
        yield return Sample("broadcast_in_dim", "dims out of order", Covers.Error)
            .In(T.F32([1, 2, 3, 4], 2, 2))
            .Attr("shape", 2, 2).Attr("dims", 1, 0)
            .Throws("dims=[1,0] must be strictly increasing");
        yield return Sample("broadcast_in_dim", "dims count differs from rank", Covers.Error)
            .In(T.F32([1, 2]))
            .Attr("shape", 2, 2).Attr("dims", 0, 1)
            .Throws("dims=[0,1] has 2 entries but the operand f32[2] has rank 1");
        yield return Sample("broadcast_in_dim", "dim out of range", Covers.Error)
            .In(T.F32([1, 2]))
            .Attr("shape", 2).Attr("dims", 1)
            .Throws("dims=[1]: 1 is out of range for the result shape=[2]");
        yield return Sample("broadcast_in_dim", "negative result size", Covers.Error)
            .In(T.F32([1, 2]))
            .Attr("shape", -2).Attr("dims", 0)
            .Throws("shape=[-2] has a negative dimension -2");
    }

    private static IEnumerable<OpSample> Slice()
    {
        yield return Sample("slice", "strided vector", Covers.Negative)
            .In(T.F32([0, -1, 2, -3, 4, -5, 6]))
            .Attr("start", 1).Attr("stop", 7).Attr("step", 2)
            .Expect(T.F32([-1, -3, -5]));
        yield return Sample("slice", "step past stop", Covers.None)
            .In(T.F32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
            .Attr("start", 2).Attr("stop", 9).Attr("step", 3)
            .Expect(T.F32([2, 5, 8]));
        yield return Sample("slice", "strided matrix", Covers.None)
            .In(T.I32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 3, 4))
            .Attr("start", 0, 1).Attr("stop", 3, 4).Attr("step", 2, 2)
            .Expect(T.I32([1, 3, 9, 11], 2, 2));
        yield return Sample("slice", "one row", Covers.Size1)
            .In(T.F64([1, 2, 3, 4, 5, 6], 2, 3))
            .Attr("start", 1, 0).Attr("stop", 2, 3).Attr("step", 1, 2)
            .Expect(T.F64([4, 6], 1, 2));
        yield return Sample("slice", "rank 0", Covers.Rank0 | Covers.Negative)
            .In(T.Scalar(-1.5f))
            .Attr("start").Attr("stop").Attr("step")
            .Expect(T.Scalar(-1.5f));
        yield return Sample("slice", "empty window", Covers.Empty)
            .In(T.F32([1, 2, 3, 4]))
            .Attr("start", 2).Attr("stop", 2).Attr("step", 1)
            .Expect(T.Empty(DType.F32, 0));
        yield return Sample("slice", "empty operand", Covers.Empty)
            .In(T.Empty(DType.I64, 3, 0))
            .Attr("start", 1, 0).Attr("stop", 3, 0).Attr("step", 1, 5)
            .Expect(T.Empty(DType.I64, 2, 0));
        yield return Sample("slice", "inf and nan", Covers.NonFinite)
            .In(T.F32([NaN, 1, Inf, -Inf]))
            .Attr("start", 0).Attr("stop", 4).Attr("step", 2)
            .Expect(T.F32([NaN, Inf]));
        yield return Sample("slice", "bool", Covers.None)
            .In(T.Bool([true, false, true, true]))
            .Attr("start", 1).Attr("stop", 4).Attr("step", 1)
            .Expect(T.Bool([false, true, true]));
        yield return Sample("slice", "step 0", Covers.Error)
            .In(T.F32([1, 2, 3, 4]))
            .Attr("start", 0).Attr("stop", 4).Attr("step", 0)
            .Throws("step=[0]: axis 0 has step 0 (steps must be at least 1)");
        yield return Sample("slice", "stop past the end", Covers.Error)
            .In(T.F32([1, 2, 3, 4]))
            .Attr("start", 0).Attr("stop", 5).Attr("step", 1)
            .Throws("axis 0 of f32[4]: start 0 and stop 5 must satisfy 0 <= start <= stop <= 4");
        yield return Sample("slice", "start after stop", Covers.Error)
            .In(T.F32([1, 2, 3, 4], 1, 4))
            .Attr("start", 0, 3).Attr("stop", 1, 2).Attr("step", 1, 1)
            .Throws("axis 1 of f32[1,4]: start 3 and stop 2 must satisfy");
        yield return Sample("slice", "negative start", Covers.Error | Covers.Negative)
            .In(T.F32([1, 2, 3, 4]))
            .Attr("start", -1).Attr("stop", 2).Attr("step", 1)
            .Throws("start -1 and stop 2 must satisfy");
        yield return Sample("slice", "wrong length", Covers.Error)
            .In(T.F32([1, 2, 3, 4]))
            .Attr("start", 0, 0).Attr("stop", 4).Attr("step", 1)
            .Throws("start=[0,0] has 2 entries but the operand f32[4] has rank 1");
    }

    private static IEnumerable<OpSample> Pad()
    {
        yield return Sample("pad", "matrix", Covers.Negative)
            .In(T.F32([1, -2, 3, -4], 2, 2))
            .Attr("lo", 1, 0).Attr("hi", 0, 1).Attr("value", Scalar.FromDouble(DType.F32, -1))
            .Expect(T.F32([-1, -1, -1, 1, -2, -1, 3, -4, -1], 3, 3));
        yield return Sample("pad", "i32 vector", Covers.Negative)
            .In(T.I32([5, 6]))
            .Attr("lo", 2).Attr("hi", 1).Attr("value", Scalar.FromInt64(DType.I32, -9))
            .Expect(T.I32([-9, -9, 5, 6, -9]));
        yield return Sample("pad", "rank 0", Covers.Rank0)
            .In(T.Scalar(3.0))
            .Attr("lo").Attr("hi").Attr("value", Scalar.FromDouble(DType.F64, 0))
            .Expect(T.Scalar(3.0));
        yield return Sample("pad", "empty operand", Covers.Empty)
            .In(T.Empty(DType.F32, 0))
            .Attr("lo", 1).Attr("hi", 2).Attr("value", Scalar.FromDouble(DType.F32, 7))
            .Expect(T.F32([7, 7, 7]));
        yield return Sample("pad", "empty stays empty", Covers.Empty)
            .In(T.Empty(DType.F32, 2, 0))
            .Attr("lo", 0, 0).Attr("hi", 1, 0).Attr("value", Scalar.FromDouble(DType.F32, 7))
            .Expect(T.Empty(DType.F32, 3, 0));
        yield return Sample("pad", "nan fill around inf", Covers.NonFinite | Covers.Size1)
            .In(T.F64([DInf], 1))
            .Attr("lo", 1).Attr("hi", 1).Attr("value", Scalar.FromDouble(DType.F64, DNaN))
            .Expect(T.F64([DNaN, DInf, DNaN]));
        yield return Sample("pad", "bool", Covers.Size1)
            .In(T.Bool([true], 1, 1))
            .Attr("lo", 0, 1).Attr("hi", 1, 0).Attr("value", Scalar.FromBool(false))
            .Expect(T.Bool([false, true, false, false], 2, 2));
        yield return Sample("pad", "fill of another dtype", Covers.Error)
            .In(T.I32([1, 2]))
            .Attr("lo", 1).Attr("hi", 1).Attr("value", Scalar.FromDouble(DType.F32, 0))
            .Throws("is f32 but the operand is i32[2] (the fill must have the operand's dtype)");
        yield return Sample("pad", "negative padding", Covers.Error | Covers.Negative)
            .In(T.F32([1, 2]))
            .Attr("lo", -1).Attr("hi", 0).Attr("value", Scalar.FromDouble(DType.F32, 0))
            .Throws("axis 0 has negative padding");
        yield return Sample("pad", "wrong length", Covers.Error)
            .In(T.F32([1, 2]))
            .Attr("lo", 1, 1).Attr("hi", 0).Attr("value", Scalar.FromDouble(DType.F32, 0))
            .Throws("lo=[1,1] has 2 entries but the operand f32[2] has rank 1");
    }

    private static IEnumerable<OpSample> Concat()
    {
        yield return Sample("concat", "axis 0", Covers.Negative | Covers.Size1)
            .In(T.F32([1, -2], 1, 2), T.F32([-3, 4, 5, -6], 2, 2))
            .Attr("axis", 0L)
            .Expect(T.F32([1, -2, -3, 4, 5, -6], 3, 2));
        yield return Sample("concat", "three along axis 1, one empty", Covers.Empty)
            .In(T.F32([1, 2], 2, 1), T.Empty(DType.F32, 2, 0), T.F32([3, 4, 5, 6], 2, 2))
            .Attr("axis", 1L)
            .Expect(T.F32([1, 3, 4, 2, 5, 6], 2, 3));
        yield return Sample("concat", "middle axis of rank 3", Covers.None)
            .In(T.I64([1, 2, 3, 4], 2, 1, 2), T.I64([5, 6, 7, 8, 9, 10, 11, 12], 2, 2, 2))
            .Attr("axis", 1L)
            .Expect(T.I64([1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12], 2, 3, 2));
        yield return Sample("concat", "single operand", Covers.Size1)
            .In(T.I32([9], 1))
            .Attr("axis", 0L)
            .Expect(T.I32([9], 1));
        yield return Sample("concat", "all empty", Covers.Empty)
            .In(T.Empty(DType.F32, 0), T.Empty(DType.F32, 0))
            .Attr("axis", 0L)
            .Expect(T.Empty(DType.F32, 0));
        yield return Sample("concat", "inf and nan", Covers.NonFinite)
            .In(T.F64([DNaN], 1), T.F64([DInf, -DInf]))
            .Attr("axis", 0L)
            .Expect(T.F64([DNaN, DInf, -DInf]));
        yield return Sample("concat", "bool", Covers.None)
            .In(T.Bool([true], 1), T.Bool([false, false]))
            .Attr("axis", 0L)
            .Expect(T.Bool([true, false, false]));
        yield return Sample("concat", "rank 0 rejected", Covers.Error | Covers.Rank0)
            .In(T.Scalar(1f), T.Scalar(2f))
            .Attr("axis", 0L)
            .Throws("operands of rank 0 (f32[]) have no axis to join along");
        yield return Sample("concat", "dtypes differ", Covers.Error)
            .In(T.F32([1], 1), T.I32([1], 1))
            .Attr("axis", 0L)
            .Throws("operand dtypes differ: operand 0 is f32[1] and operand 1 is i32[1]");
        yield return Sample("concat", "ranks differ", Covers.Error)
            .In(T.F32([1, 2]), T.F32([1, 2], 2, 1))
            .Attr("axis", 0L)
            .Throws("operand ranks differ: operand 0 is f32[2] and operand 1 is f32[2,1]");
        yield return Sample("concat", "other axis differs", Covers.Error)
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3), T.F32([1, 2, 3, 4], 2, 2))
            .Attr("axis", 0L)
            .Throws("operand 1 f32[2,2] differs from operand 0 f32[2,3] in axis 1 (only axis=0 may differ)");
        yield return Sample("concat", "axis out of range", Covers.Error)
            .In(T.F32([1, 2]), T.F32([3], 1))
            .Attr("axis", 1L)
            .Throws("axis=1 is out of range for rank 1");
        yield return Sample("concat", "negative axis", Covers.Error | Covers.Negative)
            .In(T.F32([1, 2]), T.F32([3], 1))
            .Attr("axis", -1L)
            .Throws("axis=-1 is out of range for rank 1");
        yield return Sample("concat", "no operands", Covers.Error)
            .Attr("axis", 0L)
            .Throws("takes at least 1 operands, got 0");
    }
}
