using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>constant, iota, full. Expectations are written out by hand.</summary>
public sealed class CreationSamples : OpSampleSet
{
    private const double Inf = double.PositiveInfinity;
    private const double NaN = double.NaN;

    /// <summary>An IntList attribute (one element included, which would otherwise bind to the Int overload).</summary>
    private static IntListAttr Dims(params int[] dims) => new(dims);

    private static TensorAttr Value(HostTensor value) => new(value);

    public override IEnumerable<OpSample> Samples()
    {
        // ---- constant ----
        yield return Sample("constant", "f32 matrix", Covers.Negative)
            .Attr("value", Value(T.F32([1, -2.5f, 3, -0f], 2, 2)))
            .Expect(T.F32([1, -2.5f, 3, -0f], 2, 2));
        yield return Sample("constant", "rank 0 i64 extreme", Covers.Rank0 | Covers.Negative)
            .Attr("value", Value(T.Scalar(long.MinValue)))
            .Expect(T.Scalar(long.MinValue));
        yield return Sample("constant", "size-1 bool", Covers.Size1)
            .Attr("value", Value(T.Bool([true], 1, 1)))
            .Expect(T.Bool([true], 1, 1));
        yield return Sample("constant", "empty", Covers.Empty)
            .Attr("value", Value(T.Empty(DType.F32, 0, 3)))
            .Expect(T.Empty(DType.F32, 0, 3));
        yield return Sample("constant", "non-finite f64", Covers.NonFinite)
            .Attr("value", Value(T.F64([NaN, Inf, -Inf])))
            .Expect(T.F64([NaN, Inf, -Inf]));
        yield return Sample("constant", "bf16 keeps its dtype", Covers.None)
            .Attr("value", Value(T.Of(DType.BF16, [1.5, -3], 2)))
            .Expect(T.Of(DType.BF16, [1.5, -3], 2));
        yield return Sample("constant", "operand rejected", Covers.Error)
            .In(T.F32([1]))
            .Attr("value", Value(T.F32([1])))
            .Throws("takes 0 operands, got 1");
        yield return Sample("constant", "value required", Covers.Error)
            .Throws("constant needs attribute 'value'");
        yield return Sample("constant", "value must be a tensor", Covers.Error)
            .Attr("value", 3L)
            .Throws("attribute 'value' of constant must be a tensor literal of the result's type, got 3");

        // ---- iota ----
        yield return Sample("iota", "axis 1", Covers.None)
            .Attr("shape", Dims(2, 3)).Attr("axis", 1L).Attr("dtype", DType.I64)
            .Expect(T.I64([0, 1, 2, 0, 1, 2], 2, 3));
        yield return Sample("iota", "axis 0 f32", Covers.None)
            .Attr("shape", Dims(2, 3)).Attr("axis", 0L).Attr("dtype", DType.F32)
            .Expect(T.F32([0, 0, 0, 1, 1, 1], 2, 3));
        yield return Sample("iota", "size-1 axes", Covers.Size1)
            .Attr("shape", Dims(1, 1, 2)).Attr("axis", 2L).Attr("dtype", DType.I32)
            .Expect(T.I32([0, 1], 1, 1, 2));
        yield return Sample("iota", "along a size-1 axis", Covers.Size1)
            .Attr("shape", Dims(3, 1)).Attr("axis", 1L).Attr("dtype", DType.F64)
            .Expect(T.F64([0, 0, 0], 3, 1));
        yield return Sample("iota", "empty", Covers.Empty)
            .Attr("shape", Dims(3, 0)).Attr("axis", 0L).Attr("dtype", DType.F32)
            .Expect(T.Empty(DType.F32, 3, 0));
        // bf16 holds integers exactly to 256; 257 ties to even (256), 259 to 260.
        yield return Sample("iota", "bf16 rounds past 256", Covers.None)
            .Attr("shape", Dims(260)).Attr("axis", 0L).Attr("dtype", DType.BF16)
            .Expect(T.Of(DType.BF16, [.. Enumerable.Range(0, 257).Select(i => (double)i), 256, 258, 260], 260));
        // f16's largest finite value is 65504; from 65520 (half-way to 65536) positions round to inf.
        yield return Sample("iota", "f16 overflows to inf", Covers.NonFinite)
            .Attr("shape", Dims(65536)).Attr("axis", 0L).Attr("dtype", DType.F16)
            .Expect(T.Of(DType.F16, Enumerable.Range(0, 65536).Select(i => i >= 65520 ? Inf : i).ToArray(), 65536));
        yield return Sample("iota", "rank 0 has no axis", Covers.Rank0 | Covers.Error)
            .Attr("shape", Dims()).Attr("axis", 0L).Attr("dtype", DType.I32)
            .Throws("axis=0: a rank-0 operand has no axes");
        yield return Sample("iota", "negative axis rejected", Covers.Negative | Covers.Error)
            .Attr("shape", Dims(2, 2)).Attr("axis", -1L).Attr("dtype", DType.I32)
            .Throws("axis=-1 is out of range for rank 2 (axes are 0 to 1)");
        yield return Sample("iota", "negative dimension rejected", Covers.Negative | Covers.Error)
            .Attr("shape", Dims(2, -3)).Attr("axis", 0L).Attr("dtype", DType.I32)
            .Throws("shape=[2,-3] has a negative dimension");
        yield return Sample("iota", "bool rejected", Covers.Error)
            .Attr("shape", Dims(2)).Attr("axis", 0L).Attr("dtype", DType.Bool)
            .Throws("dtype must be a numeric type (float or integer), got bool");

        // ---- full ----
        yield return Sample("full", "f32 negative", Covers.Negative)
            .Attr("shape", Dims(2, 3)).Attr("value", Scalar.FromDouble(DType.F32, -1.5))
            .Expect(T.F32([-1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f], 2, 3));
        yield return Sample("full", "rank 0 i64 beyond 2^53", Covers.Rank0)
            .Attr("shape", Dims()).Attr("value", Scalar.FromInt64(DType.I64, long.MaxValue - 1))
            .Expect(T.Scalar(long.MaxValue - 1));
        yield return Sample("full", "size-1 bool", Covers.Size1)
            .Attr("shape", Dims(1, 1)).Attr("value", Scalar.FromBool(true))
            .Expect(T.Bool([true], 1, 1));
        yield return Sample("full", "empty", Covers.Empty)
            .Attr("shape", Dims(0, 2)).Attr("value", Scalar.FromDouble(DType.F64, 7))
            .Expect(T.Empty(DType.F64, 0, 2));
        yield return Sample("full", "nan", Covers.NonFinite)
            .Attr("shape", Dims(2)).Attr("value", Scalar.FromDouble(DType.F32, NaN))
            .Expect(T.F32([float.NaN, float.NaN]));
        yield return Sample("full", "f16 -inf", Covers.NonFinite | Covers.Negative)
            .Attr("shape", Dims(3)).Attr("value", Scalar.FromDouble(DType.F16, -Inf))
            .Expect(T.Of(DType.F16, [-Inf, -Inf, -Inf]));
        yield return Sample("full", "i32", Covers.Negative)
            .Attr("shape", Dims(2, 1)).Attr("value", Scalar.FromInt64(DType.I32, int.MinValue))
            .Expect(T.I32([int.MinValue, int.MinValue], 2, 1));
        yield return Sample("full", "negative dimension rejected", Covers.Negative | Covers.Error)
            .Attr("shape", Dims(-1)).Attr("value", Scalar.FromDouble(DType.F32, 0))
            .Throws("shape=[-1] has a negative dimension");
        yield return Sample("full", "value required", Covers.Error)
            .Attr("shape", Dims(2))
            .Throws("full needs attribute 'value'");
        yield return Sample("full", "operand rejected", Covers.Error)
            .In(T.F32([1])).Attr("shape", Dims(1)).Attr("value", Scalar.FromDouble(DType.F32, 0))
            .Throws("takes 0 operands, got 1");
    }
}
