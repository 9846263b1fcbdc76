using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>gather, scatter_add (torch.gather / torch.scatter_add semantics). Expectations are written out by hand.</summary>
public sealed class IndexingSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;

    public override IEnumerable<OpSample> Samples()
    {
        // ---- gather ----
        // torch.gather docs: x = [[1,2],[3,4]], axis 1, idx [[0,0],[1,0]] → [[x00,x00],[x11,x10]].
        yield return Sample("gather", "axis 1 as in the torch docs", Covers.None)
            .In(T.F32([1, 2, 3, 4], 2, 2), T.I64([0, 0, 1, 0], 2, 2)).Attr("axis", 1L)
            .Expect(T.F32([1, 1, 4, 3], 2, 2));
        // out[i][j] = x[idx[i][j]][j]; idx is smaller than x on axis 1.
        yield return Sample("gather", "axis 0 with a smaller index", Covers.Negative)
            .In(T.I32([1, -2, 3, -4, 5, -6, 7, -8, 9], 3, 3), T.I32([2, 0, 1, 2], 2, 2)).Attr("axis", 0L)
            .Expect(T.I32([7, -2, -4, -8], 2, 2));
        // Along the axis the index may be longer than x and repeat positions.
        yield return Sample("gather", "rank 1 with repeats", Covers.NonFinite)
            .In(T.F32([NaN, Inf, -Inf]), T.I64([2, 0, 1, 1])).Attr("axis", 0L)
            .Expect(T.F32([-Inf, NaN, Inf, Inf]));
        yield return Sample("gather", "rank 3 axis 2", Covers.None)
            .In(T.F64([0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32], 2, 2, 3), T.I32([2, 1, 0, 0], 2, 2, 1)).Attr("axis", 2L)
            .Expect(T.F64([2, 11, 20, 30], 2, 2, 1));
        yield return Sample("gather", "i64 values and bools are copied exactly", Covers.Negative)
            .In(T.I64([long.MaxValue, long.MinValue, -1]), T.I32([1, 0, 2, 1])).Attr("axis", 0L)
            .Expect(T.I64([long.MinValue, long.MaxValue, -1, long.MinValue]));
        yield return Sample("gather", "bool", Covers.None)
            .In(T.Bool([true, false], 1, 2), T.I64([1, 1, 0], 1, 3)).Attr("axis", 1L)
            .Expect(T.Bool([false, false, true], 1, 3));
        yield return Sample("gather", "size 1", Covers.Size1)
            .In(T.F32([5, 6, 7], 1, 3), T.I64([2], 1, 1)).Attr("axis", 1L)
            .Expect(T.F32([7], 1, 1));
        yield return Sample("gather", "empty index", Covers.Empty)
            .In(T.F32([1, 2, 3, 4], 2, 2), T.Empty(DType.I64, 2, 0)).Attr("axis", 1L)
            .Expect(T.Empty(DType.F32, 2, 0));
        yield return Sample("gather", "empty x and index", Covers.Empty)
            .In(T.Empty(DType.F32, 0), T.Empty(DType.I32, 0)).Attr("axis", 0L)
            .Expect(T.Empty(DType.F32, 0));
        yield return Sample("gather", "rank 0 has no axis", Covers.Rank0 | Covers.Error)
            .In(T.Scalar(1f), T.Scalar(0L)).Attr("axis", 0L)
            .Throws("axis=0: a rank-0 operand has no axes");
        yield return Sample("gather", "negative index does not wrap", Covers.Negative | Covers.Error)
            .In(T.F32([1, 2, 3]), T.I64([0, -1])).Attr("axis", 0L)
            .ThrowsAtRun("gather: index -1 at [1] is out of range for axis 0 of size 3");
        yield return Sample("gather", "index past the end", Covers.Error)
            .In(T.F32([1, 2, 3, 4], 2, 2), T.I32([0, 1, 2, 0], 2, 2)).Attr("axis", 1L)
            .ThrowsAtRun("gather: index 2 at [1,0] is out of range for axis 1 of size 2");
        yield return Sample("gather", "index into an empty axis", Covers.Empty | Covers.Error)
            .In(T.Empty(DType.F32, 2, 0), T.I64([0], 1, 1)).Attr("axis", 1L)
            .ThrowsAtRun("index 0 at [0,0] is out of range for axis 1 of size 0");
        yield return Sample("gather", "float index rejected", Covers.Error)
            .In(T.F32([1, 2]), T.F32([0], 1)).Attr("axis", 0L)
            .Throws("index must be i32 or i64, got f32[1]");
        yield return Sample("gather", "ranks differ", Covers.Error)
            .In(T.F32([1, 2, 3, 4], 2, 2), T.I64([0, 1])).Attr("axis", 0L)
            .Throws("index i64[2] must have the rank of f32[2,2] (2)");
        yield return Sample("gather", "index larger off the axis", Covers.Error)
            .In(T.F32([1, 2, 3, 4], 2, 2), T.I64([0, 0, 0], 1, 3)).Attr("axis", 0L)
            .Throws("index i64[1,3] is larger than f32[2,2] on axis 1 (only axis 0 may differ)");
        yield return Sample("gather", "negative axis rejected", Covers.Negative | Covers.Error)
            .In(T.F32([1, 2]), T.I64([0], 1)).Attr("axis", -1L)
            .Throws("axis=-1 is out of range for rank 1");

        // ---- scatter_add ----
        // out[idx[i][j]][j] += src[i][j]: row 0 of src goes to rows 1, 0, 1.
        yield return Sample("scatter_add", "axis 0 size-1 index", Covers.Size1)
            .In(T.F32([10, 20, 30, 40, 50, 60], 2, 3), T.I64([1, 0, 1], 1, 3), T.F32([1, 2, 3], 1, 3)).Attr("axis", 0L)
            .Expect(T.F32([10, 22, 30, 41, 50, 63], 2, 3));
        // Repeated positions accumulate: 1 + 3 − 0.5 into 0, −2 into 2.
        yield return Sample("scatter_add", "repeats accumulate", Covers.Negative)
            .In(T.F32([0, 0, 0]), T.I32([0, 2, 0, 0]), T.F32([1, -2, 3, -0.5f])).Attr("axis", 0L)
            .Expect(T.F32([3.5f, 0, -2]));
        // Axis 1: row 0 gets 1 at col 0 and 2+3 at col 1; row 1 gets 6 at col 0 and 4+5 at col 1; row 2 is untouched.
        yield return Sample("scatter_add", "axis 1 index longer along the axis", Covers.None)
            .In(T.I32([0, 0, 0, 0, 7, 7], 3, 2), T.I64([0, 1, 1, 1, 1, 0], 2, 3), T.I32([1, 2, 3, 4, 5, 6], 2, 3)).Attr("axis", 1L)
            .Expect(T.I32([1, 5, 6, 9, 7, 7], 3, 2));
        yield return Sample("scatter_add", "i32 wraps", Covers.Negative)
            .In(T.I32([int.MaxValue, int.MinValue]), T.I32([0, 1]), T.I32([1, -1])).Attr("axis", 0L)
            .Expect(T.I32([int.MinValue, int.MaxValue]));
        // 1 + 3·2^-25 in double rounds to 1 + 2^-23; adding one at a time in f32 would stay at 1.
        yield return Sample("scatter_add", "f32 rounds once", Covers.None)
            .In(T.F32([1], 1), T.I64([0, 0, 0]), T.F32([MathF.Pow(2, -25), MathF.Pow(2, -25), MathF.Pow(2, -25)])).Attr("axis", 0L)
            .Expect(T.F32([1 + MathF.Pow(2, -23)], 1));
        yield return Sample("scatter_add", "inf and nan", Covers.NonFinite)
            .In(T.F32([Inf, 1, 2]), T.I64([0, 1, 1]), T.F32([-Inf, NaN, 5])).Attr("axis", 0L)
            .Expect(T.F32([NaN, NaN, 2]));
        yield return Sample("scatter_add", "empty index leaves x", Covers.Empty)
            .In(T.F64([1, -2]), T.Empty(DType.I64, 0), T.Empty(DType.F64, 0)).Attr("axis", 0L)
            .Expect(T.F64([1, -2]));
        yield return Sample("scatter_add", "empty x", Covers.Empty)
            .In(T.Empty(DType.F32, 0, 2), T.Empty(DType.I32, 0, 5), T.Empty(DType.F32, 0, 5)).Attr("axis", 1L)
            .Expect(T.Empty(DType.F32, 0, 2));
        yield return Sample("scatter_add", "rank 0 has no axis", Covers.Rank0 | Covers.Error)
            .In(T.Scalar(1f), T.Scalar(0L), T.Scalar(1f)).Attr("axis", 0L)
            .Throws("axis=0: a rank-0 operand has no axes");
        yield return Sample("scatter_add", "negative index does not wrap", Covers.Negative | Covers.Error)
            .In(T.F32([1, 2]), T.I64([1, -2]), T.F32([1, 1])).Attr("axis", 0L)
            .ThrowsAtRun("scatter_add: index -2 at [1] is out of range for axis 0 of size 2");
        yield return Sample("scatter_add", "index past the end", Covers.Error)
            .In(T.F32([1, 2, 3, 4], 2, 2), T.I32([0, 2], 1, 2), T.F32([1, 1], 1, 2)).Attr("axis", 1L)
            .ThrowsAtRun("scatter_add: index 2 at [0,1] is out of range for axis 1 of size 2");
        yield return Sample("scatter_add", "src shape differs from index", Covers.Error)
            .In(T.F32([1, 2, 3]), T.I64([0, 1]), T.F32([1, 1, 1])).Attr("axis", 0L)
            .Throws("src f32[3] must have the shape of index i64[2]");
        yield return Sample("scatter_add", "src dtype differs", Covers.Error)
            .In(T.F32([1, 2, 3]), T.I64([0, 1]), T.F64([1, 1])).Attr("axis", 0L)
            .Throws("src f64[2] must have the dtype of x f32[3]");
        yield return Sample("scatter_add", "bool rejected", Covers.Error)
            .In(T.Bool([true], 1), T.I64([0], 1), T.Bool([true], 1)).Attr("axis", 0L)
            .Throws("x must be a numeric type (float or integer), got bool[1]");
        yield return Sample("scatter_add", "index larger off the axis", Covers.Error)
            .In(T.F32([1, 2], 1, 2), T.I64([0, 0, 0, 0], 2, 2), T.F32([1, 1, 1, 1], 2, 2)).Attr("axis", 1L)
            .Throws("index i64[2,2] is larger than f32[1,2] on axis 0 (only axis 1 may differ)");
    }
}
