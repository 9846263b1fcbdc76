namespace GraphDL.IR.Ops;

/// <summary>
/// 2-D convolution (cross-correlation, as in PyTorch) of x: [N, C, H, W] with weights w: [O, I, kh, kw], both of one
/// float dtype, giving [N, O, OH, OW]. Channels split into <c>groups</c>: C = groups·I, O divisible by groups, and
/// output channel o reads input channels g·I … g·I + I − 1 where g = o / (O/groups).
/// <para>
/// Attributes: <c>stride</c> [sh, sw] (default [1,1], each ≥ 1), <c>padding</c> [top, bottom, left, right] (default
/// zeros, each ≥ 0), <c>dilation</c> [dh, dw] (default [1,1], each ≥ 1), <c>groups</c> (default 1). Kernel dims kh, kw
/// must be ≥ 1.
/// </para>
/// <para>
/// <c>out[n,o,y,x] = Σ_{c,i,j} xp[n, g·I + c, y·sh + i·dh, x·sw + j·dw] · w[o,c,i,j]</c>, where xp is x padded with
/// zeros: padded taps are real zero terms, so conv2d equals pad-then-convolve exactly (a non-finite weight over padding
/// gives NaN, as 0·inf does). Sums accumulate in double and are rounded once to the dtype.
/// </para>
/// <para>
/// Output size: OH = ⌊(H + top + bottom − dh·(kh − 1) − 1)/sh⌋ + 1 (OW likewise). The padded input must hold the
/// dilated kernel (OH ≥ 1), else it is a type error; the one exception is an empty spatial input (H = 0) too small for
/// the kernel, which gives OH = 0 (empty in, empty out). Empty N, C (with I = 0) or O need no exception: N = 0 or
/// O = 0 give an empty result, I = 0 gives zeros.
/// </para>
/// <code>%2 = conv2d(%x, %w) {stride=[1,1], padding=[1,1,1,1], dilation=[1,1], groups=1} : f32[8,16,32,32]</code>
/// </summary>
public sealed class Conv2d : OpDef
{
    public static readonly Conv2d Instance = new();

    public override string Name => "conv2d";

    public override OpTraits Traits => OpTraits.Contraction;

    public override int MinOperands => 2;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Optional("stride", new IntListAttr([1, 1])),
        AttrSpec.Optional("padding", new IntListAttr([0, 0, 0, 0])),
        AttrSpec.Optional("dilation", new IntListAttr([1, 1])),
        AttrSpec.Optional("groups", new IntAttr(1)),
    ];

    public override TensorType InferType(OpContext context)
    {
        TensorType x = context[0], w = context[1];
        if (x.Rank != 4 || w.Rank != 4)
        {
            throw context.Error($"x must be [N,C,H,W] and w [O,I,kh,kw] (rank 4), got {x} and {w}");
        }
        if (x.DType != w.DType)
        {
            throw context.Error($"operand dtypes differ: {x} and {w} (convert one with cast)");
        }
        if (!x.DType.IsFloat())
        {
            throw context.Error($"operands must be {DTypeClass.Float.Describe()}, got {x} and {w}");
        }
        var attrs = context.Attributes;
        var stride = CheckList(context, "stride", 2, 1);
        var padding = CheckList(context, "padding", 4, 0);
        var dilation = CheckList(context, "dilation", 2, 1);
        long groups = attrs.Int("groups");
        if (groups < 1 || groups > int.MaxValue)
        {
            throw context.Error($"groups={groups} must be a positive 32-bit integer");
        }
        int n = x.Shape[0], c = x.Shape[1], o = w.Shape[0], i = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        if (c != groups * i)
        {
            throw context.Error($"x has {c} channels but w {w} with groups={groups} expects {groups}·{i} = {groups * i}");
        }
        if (o % groups != 0)
        {
            throw context.Error($"w {w} has {o} output channels, not divisible by groups={groups}");
        }
        if (kh < 1 || kw < 1)
        {
            throw context.Error($"kernel of w {w} is empty (kh and kw must be at least 1)");
        }
        int? oh = ShapeAttributes.WindowOutput(x.Shape[2], padding[0], padding[1], (long)dilation[0] * (kh - 1) + 1, stride[0]);
        int? ow = ShapeAttributes.WindowOutput(x.Shape[3], padding[2], padding[3], (long)dilation[1] * (kw - 1) + 1, stride[1]);
        if (oh is null || ow is null)
        {
            throw context.Error(
                $"input {x} padded by {ShapeAttributes.Format(padding)} is smaller than kernel {kh}x{kw} of w {w} "
                + $"with dilation={ShapeAttributes.Format(dilation)} (the output would be empty)");
        }
        return new TensorType(x.DType, n, o, oh.Value, ow.Value);
    }

    private static IReadOnlyList<int> CheckList(OpContext context, string name, int length, int minimum)
    {
        var values = context.Attributes.Ints(name);
        if (values.Count != length)
        {
            throw context.Error($"{name}={ShapeAttributes.Format(values)} must have {length} entries");
        }
        if (values.Any(v => v < minimum))
        {
            throw context.Error($"{name}={ShapeAttributes.Format(values)} has an entry below {minimum}");
        }
        return values;
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        HostTensor x = context[0], w = context[1];
        var result = context.Result;
        var attrs = context.Attributes;
        var stride = attrs.Ints("stride");
        var padding = attrs.Ints("padding");
        var dilation = attrs.Ints("dilation");
        int groups = (int)attrs.Int("groups");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int o = w.Shape[0], ipg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int oh = result.Shape[2], ow = result.Shape[3], opg = o / groups;
        double[] xs = x.ToDoubleArray(), ws = w.ToDoubleArray(), output = new double[result.ElementCount];
        for (int b = 0; b < n; b++)
        {
            for (int oc = 0; oc < o; oc++)
            {
                int g = oc / opg;
                for (int y = 0; y < oh; y++)
                {
                    for (int xo = 0; xo < ow; xo++)
                    {
                        double sum = 0;
                        for (int ic = 0; ic < ipg; ic++)
                        {
                            int channel = g * ipg + ic;
                            for (int i = 0; i < kh; i++)
                            {
                                for (int j = 0; j < kw; j++)
                                {
                                    long row = (long)y * stride[0] - padding[0] + (long)i * dilation[0];
                                    long col = (long)xo * stride[1] - padding[2] + (long)j * dilation[1];
                                    // Padding is zeros taking part in the product (pad-then-convolve).
                                    double value = row >= 0 && row < h && col >= 0 && col < wd
                                        ? xs[(((long)b * c + channel) * h + row) * wd + col]
                                        : 0.0;
                                    sum += value * ws[(((long)oc * ipg + ic) * kh + i) * kw + j];
                                }
                            }
                        }
                        output[(((long)b * o + oc) * oh + y) * ow + xo] = sum;
                    }
                }
            }
        }
        return HostTensor.FromDoubles(result.DType, result.Shape, output);
    }

    /// <summary>2·I·kh·kw multiply-adds per output element; reads x and w once and writes the result.</summary>
    public override OpCost Cost(OpContext context)
    {
        var w = context[1];
        double perOutput = 2.0 * w.Shape[1] * w.Shape[2] * w.Shape[3];
        return new OpCost(perOutput * context.Result.ElementCount, context[0].SizeInBytes + w.SizeInBytes, context.Result.SizeInBytes);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>
    /// Emits <c>conv2d(x, w)</c>; stride defaults to [1,1], padding ([top,bottom,left,right]) to zeros, dilation to
    /// [1,1].
    /// </summary>
    public static Node Conv2d(this GraphBuilder builder, Value x, Value w, int[]? stride = null, int[]? padding = null, int[]? dilation = null, int groups = 1) =>
        builder.Emit(Ops.Conv2d.Instance, [x, w], AttributeMap.Of(
            ("stride", new IntListAttr(stride ?? [1, 1])),
            ("padding", new IntListAttr(padding ?? [0, 0, 0, 0])),
            ("dilation", new IntListAttr(dilation ?? [1, 1])),
            ("groups", new IntAttr(groups))));
}
