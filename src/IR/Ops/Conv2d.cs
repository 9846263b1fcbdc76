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
        string padded = $"of x {x} padded by {ShapeAttributes.Format(padding)}";
        int? oh = ShapeAttributes.WindowOutput(context, "the height " + padded, x.Shape[2], padding[0], padding[1], (long)dilation[0] * (kh - 1) + 1, stride[0]);
        int? ow = ShapeAttributes.WindowOutput(context, "the width " + padded, x.Shape[3], padding[2], padding[3], (long)dilation[1] * (kw - 1) + 1, stride[1]);
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

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>Both gradients are conv2d again: see <see cref="InputGradient"/> and <see cref="WeightGradient"/>.</summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
    [
        AutodiffRules.NeedsGradient(node, 0) ? InputGradient(builder, node, cotangent) : null,
        AutodiffRules.NeedsGradient(node, 1) ? WeightGradient(builder, node, cotangent) : null,
    ];

    /// <summary>Bilinear: conv(tx, w) + conv(x, tw), with the node's attributes.</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents)
    {
        Value? left = tangents[0] is { } tx ? builder.Emit(this, [tx, node.Operands[1]], node.Attributes) : null;
        Value? right = tangents[1] is { } tw ? builder.Emit(this, [node.Operands[0], tw], node.Attributes) : null;
        return left is null ? right : right is null ? left : builder.Add(left, right);
    }

    /// <summary>
    /// dx: the cotangent dilated by the stride (stride − 1 zeros after each element), then a stride-1 conv2d with the
    /// same dilation and groups of the spatially flipped weight whose in and out channels are swapped within each
    /// group, padded by dilation·(kernel − 1) before and enough after to reach the input's far edge (rows the forward
    /// never read, when the size is not divisible by the stride, get zeros). The result covers the padded input;
    /// a slice drops the padding.
    /// </summary>
    private static Value InputGradient(GraphBuilder builder, Node node, Value cotangent)
    {
        var (x, w) = (node.Operands[0].Type.Shape, node.Operands[1].Type.Shape);
        var stride = node.Attributes.Ints("stride");
        var padding = node.Attributes.Ints("padding");
        var dilation = node.Attributes.Ints("dilation");
        int groups = (int)node.Attributes.Int("groups");
        int o = w[0], ipg = w[1], kh = w[2], kw = w[3], opg = o / groups;
        // [O, I, kh, kw] → [G·I, O/G, kh·kw], reversed along the flattened kernel (a flip of both spatial axes).
        Value swapped = groups == 1
            ? builder.Permute(node.Operands[1], [1, 0, 2, 3])
            : builder.Permute(builder.Reshape(node.Operands[1], [groups, opg, ipg, kh, kw]), [0, 2, 1, 3, 4]);
        var flat = builder.Reshape(swapped, [groups * ipg, opg, kh * kw]);
        var flipped = builder.Reshape(Reverse(builder, flat, 2), [groups * ipg, opg, kh, kw]);
        var dilated = Slice.Dilate(builder, cotangent, [1, 1, stride[0], stride[1]]);
        int dh = dilated.Type.Shape[2], dw = dilated.Type.Shape[3];
        int top = dilation[0] * (kh - 1), left = dilation[1] * (kw - 1);
        // The conv gives dh + bottom rows (input top + dh + bottom, effective kernel top + 1); the slice needs top pad + H.
        int bottom = Math.Max(0, padding[0] + x[2] - dh), right = Math.Max(0, padding[2] + x[3] - dw);
        var full = builder.Conv2d(dilated, flipped, [1, 1], [top, bottom, left, right], [dilation[0], dilation[1]], groups);
        return builder.Slice(full, [0, 0, padding[0], padding[2]], [x[0], x[1], padding[0] + x[2], padding[2] + x[3]]);
    }

    /// <summary>
    /// dw: a conv2d correlating the input with the cotangent, batch acting as the contracted channel axis: input
    /// [N, G·I, H, W] becomes [I, G·N, H, W], the cotangent [N, O, OH, OW] becomes the weight [O, N, OH, OW], with
    /// the same padding and groups, stride and dilation swapped. The result [I, O, kh', kw'] (kh' ≥ kh) is sliced to
    /// the kernel and permuted to [O, I, kh, kw].
    /// </summary>
    private static Value WeightGradient(GraphBuilder builder, Node node, Value cotangent)
    {
        var (x, w) = (node.Operands[0].Type.Shape, node.Operands[1].Type.Shape);
        var stride = node.Attributes.Ints("stride");
        var padding = node.Attributes.Ints("padding");
        var dilation = node.Attributes.Ints("dilation");
        int groups = (int)node.Attributes.Int("groups");
        int n = x[0], o = w[0], ipg = w[1], kh = w[2], kw = w[3];
        Value input = groups == 1
            ? builder.Permute(node.Operands[0], [1, 0, 2, 3])
            : builder.Reshape(builder.Permute(builder.Reshape(node.Operands[0], [n, groups, ipg, x[2], x[3]]), [2, 1, 0, 3, 4]), [ipg, groups * n, x[2], x[3]]);
        var kernel = builder.Permute(cotangent, [1, 0, 2, 3]);
        Value full = builder.Conv2d(input, kernel, [dilation[0], dilation[1]], padding.ToArray(), [stride[0], stride[1]], groups);
        if (full.Type.Shape[2] != kh || full.Type.Shape[3] != kw)
        {
            full = builder.Slice(full, [0, 0, 0, 0], [ipg, o, kh, kw]);
        }
        return builder.Permute(full, [1, 0, 2, 3]);
    }

    /// <summary>Reverses <paramref name="x"/> along <paramref name="axis"/>: a gather at (size − 1) − iota.</summary>
    internal static Value Reverse(GraphBuilder builder, Value x, int axis)
    {
        var type = x.Type.WithDType(DType.I64);
        var iota = builder.Iota(type.Shape.ToArray(), axis, DType.I64);
        var index = builder.Sub(builder.Literal(Scalar.FromInt64(DType.I64, type.Shape[axis] - 1), type), iota);
        return builder.Gather(x, index, axis);
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
