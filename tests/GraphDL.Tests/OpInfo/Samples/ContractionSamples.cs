using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// matmul, conv2d, reduce_window. Small cases are written out by hand; larger ones are computed here by naive loops
/// that share no code with the ops (conv2d builds the zero-padded input explicitly, then correlates).
/// </summary>
public sealed class ContractionSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;

    /// <summary>An IntList attribute (one element included, which would otherwise bind to the Int overload).</summary>
    private static IntListAttr L(params int[] values) => new(values);

    /// <summary>Deterministic test data with negatives and fractions: v_i = ((i·7 + 3) mod 11 − 5)/4.</summary>
    private static double[] Data(int count, int salt = 0) =>
        Enumerable.Range(0, count).Select(i => ((i * 7 + 3 + salt) % 11 - 5) / 4.0).ToArray();

    /// <summary>C = A·B for row-major A: m×k and B: k×n.</summary>
    private static double[] NaiveMatmul(double[] a, double[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < k; p++)
                {
                    c[i * n + j] += a[i * k + p] * b[p * n + j];
                }
            }
        }
        return c;
    }

    /// <summary>Row-major slice of matrix number <paramref name="index"/> (each m×n) out of a stack.</summary>
    private static double[] Matrix(double[] stack, int index, int rows, int cols) => stack.Skip(index * rows * cols).Take(rows * cols).ToArray();

    /// <summary>Direct convolution over an explicitly zero-padded copy of x (NCHW, OIHW).</summary>
    private static double[] NaiveConv(double[] x, int[] xd, double[] w, int[] wd, int[] stride, int[] pad, int[] dil, int groups, out int[] outDims)
    {
        int n = xd[0], c = xd[1], h = xd[2], wi = xd[3], o = wd[0], ipg = wd[1], kh = wd[2], kw = wd[3];
        int ph = h + pad[0] + pad[1], pw = wi + pad[2] + pad[3];
        var padded = new double[n, c, ph, pw];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int y = 0; y < h; y++)
                {
                    for (int xx = 0; xx < wi; xx++)
                    {
                        padded[b, ch, y + pad[0], xx + pad[2]] = x[((b * c + ch) * h + y) * wi + xx];
                    }
                }
            }
        }
        int oh = (ph - dil[0] * (kh - 1) - 1) / stride[0] + 1, ow = (pw - dil[1] * (kw - 1) - 1) / stride[1] + 1;
        outDims = [n, o, oh, ow];
        var result = new List<double>();
        int opg = o / groups;
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                for (int y = 0; y < oh; y++)
                {
                    for (int xx = 0; xx < ow; xx++)
                    {
                        double sum = 0;
                        for (int ic = 0; ic < ipg; ic++)
                        {
                            for (int i = 0; i < kh; i++)
                            {
                                for (int j = 0; j < kw; j++)
                                {
                                    sum += padded[b, oc / opg * ipg + ic, y * stride[0] + i * dil[0], xx * stride[1] + j * dil[1]]
                                        * w[((oc * ipg + ic) * kh + i) * kw + j];
                                }
                            }
                        }
                        result.Add(sum);
                    }
                }
            }
        }
        return result.ToArray();
    }

    public override IEnumerable<OpSample> Samples() => Matmul().Concat(Conv2d()).Concat(ReduceWindow());

    private static IEnumerable<OpSample> Matmul()
    {
        // [[1,-2,3],[4,5,-6]]·[[7,8],[9,-10],[-11,12]]: 7-18-33, 8+20+36; 28+45+66, 32-50-72.
        yield return Sample("matmul", "2x3 by 3x2", Covers.Negative)
            .In(T.F32([1, -2, 3, 4, 5, -6], 2, 3), T.F32([7, 8, 9, -10, -11, 12], 3, 2))
            .Expect(T.F32([-44, 64, 139, -90], 2, 2));
        yield return Sample("matmul", "rank 0 rejected", Covers.Rank0 | Covers.Error)
            .In(T.Scalar(2f), T.Scalar(3f))
            .Throws("operands must have rank 2 or more ([..., m, k] and [..., k, n]), got f32[] and f32[]");
        yield return Sample("matmul", "rank 1 rejected", Covers.Error)
            .In(T.F32([1, 2], 2), T.F32([1, 2], 2, 1))
            .Throws("operands must have rank 2 or more ([..., m, k] and [..., k, n]), got f32[2] and f32[2,1]");
        yield return Sample("matmul", "1x1 matrices", Covers.Size1)
            .In(T.F64([-1.5], 1, 1), T.F64([4], 1, 1))
            .Expect(T.F64([-6], 1, 1));

        // Batch [2,1] against [3] broadcasts to [2,3]: result matrix (i, j) is A[i, 0]·B[j].
        {
            double[] a = Data(2 * 1 * 2 * 3), b = Data(3 * 3 * 4, salt: 5);
            var expected = new List<double>();
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    expected.AddRange(NaiveMatmul(Matrix(a, i, 2, 3), Matrix(b, j, 3, 4), 2, 3, 4));
                }
            }
            yield return Sample("matmul", "batch [2,1] broadcasts with [3]", Covers.Size1 | Covers.Negative)
                .In(T.F64(a, 2, 1, 2, 3), T.F64(b, 3, 3, 4))
                .Expect(T.F64([.. expected], 2, 3, 2, 4));
        }
        // A rank-2 right operand is shared by every batch matrix of the left one.
        {
            double[] a = Data(4 * 3 * 5), b = Data(5 * 2, salt: 2);
            var expected = Enumerable.Range(0, 4).SelectMany(i => NaiveMatmul(Matrix(a, i, 3, 5), b, 3, 5, 2)).ToArray();
            yield return Sample("matmul", "batched by shared matrix", Covers.Negative)
                .In(T.Of(DType.F32, a, 4, 3, 5), T.Of(DType.F32, b, 5, 2))
                .Expect(T.Of(DType.F32, expected, 4, 3, 2))
                .Tolerance(1e-6, 1e-6);
        }
        yield return Sample("matmul", "empty k gives zeros", Covers.Empty)
            .In(T.Empty(DType.F32, 2, 0), T.Empty(DType.F32, 0, 3))
            .Expect(T.F32([0, 0, 0, 0, 0, 0], 2, 3));
        yield return Sample("matmul", "empty m", Covers.Empty)
            .In(T.Empty(DType.I64, 0, 3), T.I64([1, 2, 3, 4, 5, 6], 3, 2))
            .Expect(T.Empty(DType.I64, 0, 2));
        yield return Sample("matmul", "empty batch", Covers.Empty)
            .In(T.Empty(DType.F32, 0, 2, 2), T.F32([1, 0, 0, 1], 2, 2))
            .Expect(T.Empty(DType.F32, 0, 2, 2));
        // Row [inf, 1]·col [1, 0] = inf; ·col [0, 1] = inf·0 + 1 = NaN; a NaN row poisons its whole row.
        yield return Sample("matmul", "inf and nan", Covers.NonFinite)
            .In(T.F32([Inf, 1, NaN, 0, -Inf, 2], 3, 2), T.F32([1, 0, 0, 1], 2, 2))
            .Expect(T.F32([Inf, NaN, NaN, NaN, -Inf, NaN], 3, 2));
        // 65536·65536 − 3·5 = 2^32 − 15, which wraps to −15 in i32.
        yield return Sample("matmul", "i32 wraps", Covers.Negative)
            .In(T.I32([65536, -3], 1, 2), T.I32([65536, 5], 2, 1))
            .Expect(T.I32([-15], 1, 1));
        // 1 + 2^-8 + 2^-8 = 1 + 2^-7 exactly; summing in bf16 would round each partial sum back to 1.
        yield return Sample("matmul", "bf16 rounds once", Covers.None)
            .In(T.Of(DType.BF16, [1, 1.0 / 256, 1.0 / 256], 1, 3), T.Of(DType.BF16, [1, 1, 1], 3, 1))
            .Expect(T.Of(DType.BF16, [1.0078125], 1, 1));
        yield return Sample("matmul", "inner dimensions differ", Covers.Error)
            .In(T.Empty(DType.F32, 2, 3, 0), T.Empty(DType.F32, 4, 2))
            .Throws("inner dimensions differ: f32[2,3,0] has k=0 but f32[4,2] has k=4");
        yield return Sample("matmul", "batch dimensions do not broadcast", Covers.Error)
            .In(T.Empty(DType.F32, 2, 0, 1), T.Empty(DType.F32, 3, 1, 0))
            .Throws("batch dimensions do not broadcast: f32[2,0,1] and f32[3,1,0] (batch axis 0 of the result has sizes 2 and 3)");
        yield return Sample("matmul", "dtypes differ", Covers.Error)
            .In(T.F32([1], 1, 1), T.F64([1], 1, 1))
            .Throws("operand dtypes differ: f32[1,1] and f64[1,1]");
        yield return Sample("matmul", "bool rejected", Covers.Error)
            .In(T.Bool([true], 1, 1), T.Bool([true], 1, 1))
            .Throws("operands must be a numeric type (float or integer), got bool[1,1] and bool[1,1]");
    }

    private static IEnumerable<OpSample> Conv2d()
    {
        // x = 1..9 (3x3), w = [[1,0],[0,-1]]: out[y,x] = x[y,x] − x[y+1,x+1] = −4 everywhere.
        yield return Sample("conv2d", "3x3 by 2x2", Covers.Negative)
            .In(T.F32([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3), T.F32([1, 0, 0, -1], 1, 1, 2, 2))
            .Expect(T.F32([-4, -4, -4, -4], 1, 1, 2, 2));
        yield return Sample("conv2d", "size-1 everything", Covers.Size1 | Covers.Negative)
            .In(T.F32([3], 1, 1, 1, 1), T.F32([-2], 1, 1, 1, 1))
            .Expect(T.F32([-6], 1, 1, 1, 1));
        // Padding [1,1,1,1] around [[1,2],[3,4]] with a 2x2 ones kernel sums each 2x2 window of the 4x4 padded input.
        yield return Sample("conv2d", "padding sums a border of zeros", Covers.None)
            .In(T.F64([1, 2, 3, 4], 1, 1, 2, 2), T.F64([1, 1, 1, 1], 1, 1, 2, 2))
            .Attr("padding", L(1, 1, 1, 1))
            .Expect(T.F64([1, 3, 2, 4, 10, 6, 3, 7, 4], 1, 1, 3, 3));
        foreach (var (name, xd, wd, stride, pad, dil, groups) in new (string, int[], int[], int[], int[], int[], int)[]
        {
            ("naive loop: stride, padding, dilation, groups", [2, 4, 6, 5], [6, 2, 3, 2], [2, 1], [1, 0, 2, 1], [1, 2], 2),
            ("naive loop: depthwise", [1, 3, 4, 4], [3, 1, 2, 2], [1, 1], [0, 0, 0, 0], [1, 1], 3),
            ("naive loop: asymmetric stride", [1, 2, 5, 7], [3, 2, 3, 3], [2, 3], [1, 1, 0, 2], [1, 1], 1),
        })
        {
            double[] x = Data(xd.Aggregate(1, (p, d) => p * d)), w = Data(wd.Aggregate(1, (p, d) => p * d), salt: 4);
            var expected = NaiveConv(x, xd, w, wd, stride, pad, dil, groups, out var outDims);
            yield return Sample("conv2d", name, Covers.Negative)
                .In(T.F64(x, xd), T.F64(w, wd))
                .Attr("stride", stride).Attr("padding", pad).Attr("dilation", dil).Attr("groups", (long)groups)
                .Expect(T.F64(expected, outDims))
                .Tolerance(1e-12, 1e-12);
        }
        yield return Sample("conv2d", "rank 0 rejected", Covers.Rank0 | Covers.Error)
            .In(T.Scalar(1f), T.Scalar(1f))
            .Throws("x must be [N,C,H,W] and w [O,I,kh,kw] (rank 4), got f32[] and f32[]");
        yield return Sample("conv2d", "empty batch", Covers.Empty)
            .In(T.Empty(DType.F32, 0, 1, 3, 3), T.F32([1, 1, 1, 1], 1, 1, 2, 2))
            .Expect(T.Empty(DType.F32, 0, 1, 2, 2));
        yield return Sample("conv2d", "no input channels gives zeros", Covers.Empty)
            .In(T.Empty(DType.F32, 1, 0, 2, 2), T.Empty(DType.F32, 3, 0, 1, 1))
            .Expect(T.F32(new float[12], 1, 3, 2, 2));
        yield return Sample("conv2d", "empty height too small for the kernel gives empty output", Covers.Empty)
            .In(T.Empty(DType.F32, 1, 1, 0, 3), T.F32([1, 1, 1, 1], 1, 1, 2, 2))
            .Expect(T.Empty(DType.F32, 1, 1, 0, 2));
        yield return Sample("conv2d", "empty height padded to fit gives zeros", Covers.Empty)
            .In(T.Empty(DType.F32, 1, 1, 0, 1), T.F32([5], 1, 1, 1, 1))
            .Attr("padding", L(1, 1, 0, 0))
            .Expect(T.F32([0, 0], 1, 1, 2, 1));
        // Padded row [0, 1, 2] against [inf, 3]: 0·inf + 1·3 = NaN, then 1·inf + 2·3 = inf (padding is real zeros).
        yield return Sample("conv2d", "inf weight over padding gives nan", Covers.NonFinite)
            .In(T.F32([1, 2], 1, 1, 1, 2), T.F32([Inf, 3], 1, 1, 1, 2))
            .Attr("padding", L(0, 0, 1, 0))
            .Expect(T.F32([NaN, Inf], 1, 1, 1, 2));
        yield return Sample("conv2d", "nan input spreads to its windows", Covers.NonFinite)
            .In(T.F32([1, NaN, 2, -Inf], 1, 1, 1, 4), T.F32([1, 1], 1, 1, 1, 2))
            .Expect(T.F32([NaN, NaN, -Inf], 1, 1, 1, 3));
        yield return Sample("conv2d", "channels differ", Covers.Error)
            .In(T.Empty(DType.F32, 1, 3, 4, 0), T.Empty(DType.F32, 2, 2, 1, 1))
            .Throws("x has 3 channels but w f32[2,2,1,1] with groups=1 expects 1·2 = 2");
        yield return Sample("conv2d", "groups must divide output channels", Covers.Error)
            .In(T.Empty(DType.F32, 1, 4, 4, 0), T.Empty(DType.F32, 3, 2, 1, 1))
            .Attr("groups", 2L)
            .Throws("w f32[3,2,1,1] has 3 output channels, not divisible by groups=2");
        yield return Sample("conv2d", "kernel larger than padded input", Covers.Error)
            .In(T.F32([1, 2, 3, 4], 1, 1, 2, 2), T.F32(new float[9], 1, 1, 3, 3))
            .Throws("input f32[1,1,2,2] padded by [0,0,0,0] is smaller than kernel 3x3 of w f32[1,1,3,3] with dilation=[1,1]");
        yield return Sample("conv2d", "negative padding rejected", Covers.Negative | Covers.Error)
            .In(T.F32([1], 1, 1, 1, 1), T.F32([1], 1, 1, 1, 1))
            .Attr("padding", L(0, -1, 0, 0))
            .Throws("padding=[0,-1,0,0] has an entry below 0");
        yield return Sample("conv2d", "zero stride rejected", Covers.Error)
            .In(T.F32([1], 1, 1, 1, 1), T.F32([1], 1, 1, 1, 1))
            .Attr("stride", L(0, 1))
            .Throws("stride=[0,1] has an entry below 1");
        yield return Sample("conv2d", "padding needs four entries", Covers.Error)
            .In(T.F32([1], 1, 1, 1, 1), T.F32([1], 1, 1, 1, 1))
            .Attr("padding", L(1, 1))
            .Throws("padding=[1,1] must have 4 entries");
        yield return Sample("conv2d", "zero groups rejected", Covers.Error)
            .In(T.Empty(DType.F32, 1, 0, 1, 1), T.Empty(DType.F32, 0, 0, 1, 1))
            .Attr("groups", 0L)
            .Throws("groups=0 must be a positive 32-bit integer");
        yield return Sample("conv2d", "integers rejected", Covers.Error)
            .In(T.I32([1], 1, 1, 1, 1), T.I32([1], 1, 1, 1, 1))
            .Throws("operands must be a float type (f16, bf16, f32, f64), got i32[1,1,1,1] and i32[1,1,1,1]");
    }

    private static IEnumerable<OpSample> ReduceWindow()
    {
        // 2x2 max pooling, stride 2, on a 4x4 map.
        yield return Sample("reduce_window", "max pool 2x2", Covers.Negative)
            .In(T.F32([1, -2, 3, 0, -5, -6, -7, 8, 9, 1, -1, -1, 0, 2, -3, -2], 1, 1, 4, 4))
            .Attr("mode", "max").Attr("window", L(1, 1, 2, 2)).Attr("stride", L(1, 1, 2, 2)).Attr("padding", L(new int[8]))
            .Expect(T.F32([1, 8, 9, -1], 1, 1, 2, 2));
        // Sum pooling (avg pooling before the divide) of [[1,2],[3,4]] with a zero border.
        yield return Sample("reduce_window", "sum pool with padding", Covers.None)
            .In(T.F64([1, 2, 3, 4], 1, 1, 2, 2))
            .Attr("mode", "sum").Attr("window", L(1, 1, 2, 2)).Attr("padding", L(0, 0, 0, 0, 1, 1, 1, 1))
            .Expect(T.F64([1, 3, 2, 4, 10, 6, 3, 7, 4], 1, 1, 3, 3));
        yield return Sample("reduce_window", "default stride and padding", Covers.Negative)
            .In(T.I64([5, -1, 4, -9], 4))
            .Attr("mode", "sum").Attr("window", L(2))
            .Expect(T.I64([4, 3, -5], 3));
        yield return Sample("reduce_window", "stride larger than window skips elements", Covers.None)
            .In(T.F32([1, 2, 3, 4, 5, 6, 7], 7))
            .Attr("mode", "max").Attr("window", L(2)).Attr("stride", L(3))
            .Expect(T.F32([2, 5], 2));
        yield return Sample("reduce_window", "rank 0 is the identity", Covers.Rank0)
            .In(T.Scalar(-2.5f))
            .Attr("mode", "max").Attr("window", L())
            .Expect(T.Scalar(-2.5f));
        yield return Sample("reduce_window", "size-1 axes", Covers.Size1)
            .In(T.F32([1, 2, 3], 1, 3, 1))
            .Attr("mode", "sum").Attr("window", L(1, 2, 1))
            .Expect(T.F32([3, 5], 1, 2, 1));
        yield return Sample("reduce_window", "empty axis", Covers.Empty)
            .In(T.Empty(DType.F32, 0, 3))
            .Attr("mode", "max").Attr("window", L(1, 2))
            .Expect(T.Empty(DType.F32, 0, 2));
        yield return Sample("reduce_window", "empty axis smaller than window", Covers.Empty)
            .In(T.Empty(DType.F32, 0))
            .Attr("mode", "sum").Attr("window", L(2))
            .Expect(T.Empty(DType.F32, 0));
        // Padded [P, P, -5, -7]: a window entirely in padding is −inf, max's identity.
        yield return Sample("reduce_window", "max over padding only is -inf", Covers.Negative | Covers.NonFinite)
            .In(T.F32([-5, -7], 2))
            .Attr("mode", "max").Attr("window", L(1)).Attr("padding", L(2, 0))
            .Expect(T.F32([-Inf, -Inf, -5, -7], 4));
        yield return Sample("reduce_window", "max propagates nan", Covers.NonFinite)
            .In(T.F32([1, NaN, 3, Inf, -Inf], 5))
            .Attr("mode", "max").Attr("window", L(2))
            .Expect(T.F32([NaN, NaN, Inf, Inf], 4));
        yield return Sample("reduce_window", "sum of inf and -inf is nan", Covers.NonFinite)
            .In(T.F32([Inf, -Inf, 1, NaN], 4))
            .Attr("mode", "sum").Attr("window", L(2))
            .Expect(T.F32([NaN, -Inf, NaN], 3));
        // Padding for an integer max is the dtype's minimum.
        yield return Sample("reduce_window", "i32 max over padding is int min", Covers.Negative)
            .In(T.I32([3, -4], 2))
            .Attr("mode", "max").Attr("window", L(1)).Attr("padding", L(1, 0))
            .Expect(T.I32([int.MinValue, 3, -4], 3));
        yield return Sample("reduce_window", "i32 sum wraps", Covers.Negative)
            .In(T.I32([int.MaxValue, 1, int.MinValue], 3))
            .Attr("mode", "sum").Attr("window", L(2))
            .Expect(T.I32([int.MinValue, int.MinValue + 1], 2));
        // 1 + 3·2^-25 rounds to 1 + 2^-23 once; summing in f32 would stay at 1.
        yield return Sample("reduce_window", "f32 sum rounds once", Covers.None)
            .In(T.F32([1, MathF.Pow(2, -25), MathF.Pow(2, -25), MathF.Pow(2, -25)], 4))
            .Attr("mode", "sum").Attr("window", L(4))
            .Expect(T.F32([1 + MathF.Pow(2, -23)], 1));
        yield return Sample("reduce_window", "window length differs from rank", Covers.Error)
            .In(T.F32([1, 2, 3, 4], 2, 2))
            .Attr("mode", "max").Attr("window", L(2))
            .Throws("window=[2] must have one entry per axis of f32[2,2] (2)");
        yield return Sample("reduce_window", "window does not fit", Covers.Error)
            .In(T.F32([1, 2, 3], 3))
            .Attr("mode", "max").Attr("window", L(4)).Attr("padding", L(0, 0))
            .Throws("window=[4] does not fit f32[3] padded by [0,0] on axis 0");
        yield return Sample("reduce_window", "unknown mode", Covers.Error)
            .In(T.F32([1, 2, 3], 3))
            .Attr("mode", "min").Attr("window", L(1))
            .Throws("attribute 'mode' of reduce_window must be one of \"max\", \"sum\", got \"min\"");
        yield return Sample("reduce_window", "negative padding rejected", Covers.Negative | Covers.Error)
            .In(T.F32([1, 2, 3], 3))
            .Attr("mode", "sum").Attr("window", L(1)).Attr("padding", L(-1, 0))
            .Throws("padding=[-1,0] has a negative entry");
        yield return Sample("reduce_window", "zero window rejected", Covers.Error)
            .In(T.F32([1, 2, 3], 3))
            .Attr("mode", "sum").Attr("window", L(0))
            .Throws("window=[0] has an entry below 1");
        yield return Sample("reduce_window", "bool rejected", Covers.Error)
            .In(T.Bool([true, false], 2))
            .Attr("mode", "max").Attr("window", L(1))
            .Throws("operand must be a numeric type (float or integer), got bool[2]");
    }
}
