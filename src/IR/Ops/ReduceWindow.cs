namespace GraphDL.IR.Ops;

/// <summary>
/// Reduces each window of a sliding window over every axis with max or sum (XLA's ReduceWindow): max and average
/// pooling on NCHW use <c>window=[1,1,kh,kw]</c>. The operand is float or integer; the result has its dtype.
/// <para>
/// Attributes: <c>mode</c> "max" or "sum"; <c>window</c>, one size ≥ 1 per axis; <c>stride</c>, one step ≥ 1 per
/// axis, default all 1; <c>padding</c> [lo0, hi0, lo1, hi1, ...], two amounts ≥ 0 per axis, default all 0. For
/// stride and padding the default is written <c>[]</c> (the schema cannot know the rank); the builder helper writes
/// the lists out in full, and <c>[]</c> and the full list mean the same.
/// </para>
/// <para>
/// <c>out[o] = reduce over k in window of xp[o·stride − lo + k]</c>, where padded positions hold the reduction's
/// identity: −inf for max on floats (the dtype's minimum for integers), 0 for sum. So a window entirely in padding
/// gives −inf (max) or 0 (sum). Max propagates NaN; sums accumulate in double (long for integers, wrapping) and are
/// rounded once to the dtype.
/// </para>
/// <para>
/// Output size per axis: ⌊(d + lo + hi − window)/stride⌋ + 1. The padded axis must hold the window, else it is a type
/// error, except on an empty axis (d = 0), which gives an empty output axis.
/// </para>
/// <code>%1 = reduce_window(%0) {mode="max", window=[1,1,2,2], stride=[1,1,2,2], padding=[0,0,0,0,0,0,0,0]} : f32[8,16,16,16]</code>
/// </summary>
public sealed class ReduceWindow : OpDef
{
    public static readonly ReduceWindow Instance = new();

    public override string Name => "reduce_window";

    public override OpTraits Traits => OpTraits.Reduction;

    public override int MinOperands => 1;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.RequiredOneOf("mode", "max", "sum"),
        AttrSpec.Required("window", AttrKind.IntList),
        AttrSpec.Optional("stride", new IntListAttr([])),
        AttrSpec.Optional("padding", new IntListAttr([])),
    ];

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        if (!DTypeClass.Numeric.Contains(x.DType))
        {
            throw context.Error($"operand must be {DTypeClass.Numeric.Describe()}, got {x}");
        }
        int rank = x.Rank;
        var window = context.Attributes.Ints("window");
        if (window.Count != rank)
        {
            throw context.Error($"window={ShapeAttributes.Format(window)} must have one entry per axis of {x} ({rank})");
        }
        if (window.Any(v => v < 1))
        {
            throw context.Error($"window={ShapeAttributes.Format(window)} has an entry below 1");
        }
        if (Shape.TryCreate(window.ToArray()) is null)
        {
            // The evaluation and the gradient walk the window's offsets like a tensor's elements.
            throw context.Error($"window={ShapeAttributes.Format(window)} has more than 2^48 elements (the most a tensor may have)");
        }
        var stride = Strides(context.Attributes, rank);
        if (stride.Length != rank)
        {
            throw context.Error($"stride={ShapeAttributes.Format(stride)} must have one entry per axis of {x} ({rank}), or be []");
        }
        if (stride.Any(v => v < 1))
        {
            throw context.Error($"stride={ShapeAttributes.Format(stride)} has an entry below 1");
        }
        var padding = Paddings(context.Attributes, rank);
        if (padding.Length != 2 * rank)
        {
            throw context.Error($"padding={ShapeAttributes.Format(padding)} must have two entries (low, high) per axis of {x} ({2 * rank}), or be []");
        }
        if (padding.Any(v => v < 0))
        {
            throw context.Error($"padding={ShapeAttributes.Format(padding)} has a negative entry");
        }
        var dims = new int[rank];
        for (int axis = 0; axis < rank; axis++)
        {
            dims[axis] = ShapeAttributes.WindowOutput(context, $"axis {axis} of {x} padded by {ShapeAttributes.Format(padding)}",
                    x.Shape[axis], padding[2 * axis], padding[2 * axis + 1], window[axis], stride[axis])
                ?? throw context.Error(
                    $"window={ShapeAttributes.Format(window)} does not fit {x} padded by {ShapeAttributes.Format(padding)} on axis {axis}");
        }
        return x.WithShape(new Shape(dims));
    }

    /// <summary>The stride attribute, with <c>[]</c> read as all ones.</summary>
    private static int[] Strides(AttributeMap attributes, int rank)
    {
        var stride = attributes.Ints("stride");
        return stride.Count == 0 ? Enumerable.Repeat(1, rank).ToArray() : stride.ToArray();
    }

    /// <summary>The padding attribute, with <c>[]</c> read as all zeros.</summary>
    private static int[] Paddings(AttributeMap attributes, int rank)
    {
        var padding = attributes.Ints("padding");
        return padding.Count == 0 ? new int[2 * rank] : padding.ToArray();
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var result = context.Result;
        int rank = x.Shape.Rank;
        bool isMax = context.Attributes.String("mode") == "max";
        var window = context.Attributes.Ints("window");
        var stride = Strides(context.Attributes, rank);
        var padding = Paddings(context.Attributes, rank);
        var windowShape = new Shape(window);
        bool isFloat = x.DType.IsFloat();
        double[] fx = isFloat ? x.ToDoubleArray() : [];
        long[] ix = isFloat ? [] : x.ToInt64Array();
        double[] fout = isFloat ? new double[result.ElementCount] : [];
        long[] iout = isFloat ? [] : new long[result.ElementCount];
        long integerMin = x.DType == DType.I32 ? int.MinValue : long.MinValue;
        var source = new int[rank];
        for (long at = 0; at < result.ElementCount; at++)
        {
            var outIndex = result.Shape.Unravel(at);
            double fAcc = isMax ? double.NegativeInfinity : 0.0;
            long iAcc = isMax ? integerMin : 0;
            for (long w = 0; w < windowShape.ElementCount; w++)
            {
                var offset = windowShape.Unravel(w);
                bool inside = true;
                for (int axis = 0; axis < rank; axis++)
                {
                    long position = (long)outIndex[axis] * stride[axis] - padding[2 * axis] + offset[axis];
                    inside &= position >= 0 && position < x.Shape[axis];
                    source[axis] = (int)Math.Clamp(position, 0, int.MaxValue);
                }
                if (!inside)
                {
                    // Padding holds the identity: it changes neither a max nor a sum.
                    continue;
                }
                long from = x.Shape.Ravel(source);
                if (isFloat)
                {
                    fAcc = isMax ? Math.Max(fAcc, fx[from]) : fAcc + fx[from];
                }
                else
                {
                    iAcc = isMax ? Math.Max(iAcc, ix[from]) : unchecked(iAcc + ix[from]);
                }
            }
            if (isFloat)
            {
                fout[at] = fAcc;
            }
            else
            {
                iout[at] = ElementConversion.WrapInteger(iAcc, x.DType);
            }
        }
        return isFloat
            ? HostTensor.FromDoubles(result.DType, result.Shape, fout)
            : HostTensor.FromInt64s(result.DType, result.Shape, iout);
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>
    /// Window offset k (a multi-index below <c>window</c>) reads the strided slice of the padded operand starting at k
    /// with the result's extent; the result is the sum (or, for max, a masked selection) of those slices. So the
    /// operand's cotangent is the sum over offsets of the slice transposes (<see cref="Slice.Scatter"/>) of the
    /// cotangent — masked for max by <see cref="FirstMaxMasks"/> — with the padding sliced off. Overlapping windows
    /// (stride &lt; window) add up naturally.
    /// </summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        var x = node.Operands[0];
        if (!AutodiffRules.NeedsGradient(node, 0))
        {
            return [null];
        }
        if (node.Type.ElementCount == 0)
        {
            return [builder.Zeros(x.Type)];
        }
        var g = new WindowGeometry(node);
        var ones = Enumerable.Repeat(1, g.Rank).ToArray();
        Value? total = null;
        if (node.Attributes.String("mode") == "sum")
        {
            // Every offset places the same stride-dilated cotangent, shifted by the offset.
            var spread = Slice.Scatter(builder, cotangent, g.Span, new int[g.Rank], g.Span, g.Stride);
            foreach (var offset in g.Offsets)
            {
                var placed = Slice.Scatter(builder, spread, g.Padded, offset, g.Stop(offset), ones);
                total = total is null ? placed : builder.Add(total, placed);
            }
        }
        else
        {
            var masks = FirstMaxMasks(builder, node, g);
            for (int k = 0; k < g.Offsets.Length; k++)
            {
                var placed = Slice.Scatter(builder, builder.Mul(cotangent, masks[k]), g.Padded, g.Offsets[k], g.Stop(g.Offsets[k]), g.Stride);
                total = total is null ? placed : builder.Add(total, placed);
            }
        }
        return [g.Unpad(builder, total!)];
    }

    /// <summary>Sum: reduce_window of the tangent. Max: the tangent at each window's selected position (the VJP's masks).</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents)
    {
        if (tangents[0] is not { } t)
        {
            return null;
        }
        if (node.Attributes.String("mode") == "sum" || node.Type.ElementCount == 0)
        {
            return builder.Emit(this, [t], node.Attributes);
        }
        var g = new WindowGeometry(node);
        var masks = FirstMaxMasks(builder, node, g);
        var padded = g.Pad(builder, t, 0);
        Value? total = null;
        for (int k = 0; k < g.Offsets.Length; k++)
        {
            var picked = builder.Mul(masks[k], builder.Slice(padded, g.Offsets[k], g.Stop(g.Offsets[k]), g.Stride));
            total = total is null ? picked : builder.Add(total, picked);
        }
        return total;
    }

    /// <summary>
    /// For each window offset (row-major), a float 0/1 mask of the result's shape marking the windows whose maximum
    /// is taken at that offset: the first offset whose element equals the maximum (ties go to the first in
    /// row-major window order, so each window sends its whole cotangent to one element). Built from eq, not, and, or
    /// and cast, none of which carry a derivative: the masks are constants to autodiff. A window whose maximum is NaN
    /// matches nothing and sends no gradient; one that lies wholly in padding sends it to padding, which is dropped.
    /// </summary>
    private static Value[] FirstMaxMasks(GraphBuilder builder, Node node, WindowGeometry g)
    {
        var x = node.Operands[0];
        var padded = g.Pad(builder, x, double.NegativeInfinity);
        var masks = new Value[g.Offsets.Length];
        Value? seen = null;
        for (int k = 0; k < masks.Length; k++)
        {
            var hit = builder.Eq(builder.Slice(padded, g.Offsets[k], g.Stop(g.Offsets[k]), g.Stride), node);
            Value taken = seen is null ? hit : builder.And(hit, builder.Not(seen));
            seen = seen is null ? hit : builder.Or(seen, hit);
            masks[k] = builder.Cast(taken, x.Type.DType);
        }
        return masks;
    }

    /// <summary>The window's placement on the padded operand, read from a reduce_window node.</summary>
    private sealed class WindowGeometry
    {
        public WindowGeometry(Node node)
        {
            var x = node.Operands[0].Type.Shape;
            Rank = x.Rank;
            Stride = Strides(node.Attributes, Rank);
            var padding = Paddings(node.Attributes, Rank);
            Lo = Enumerable.Range(0, Rank).Select(d => padding[2 * d]).ToArray();
            Hi = Enumerable.Range(0, Rank).Select(d => padding[2 * d + 1]).ToArray();
            Operand = x.ToArray();
            Padded = Enumerable.Range(0, Rank).Select(d => x[d] + Lo[d] + Hi[d]).ToArray();
            // The positions one offset reads span (out − 1)·stride + 1 elements per axis.
            Span = Enumerable.Range(0, Rank).Select(d => (node.Type.Shape[d] - 1) * Stride[d] + 1).ToArray();
            var window = new Shape(node.Attributes.Ints("window").ToArray());
            Offsets = Enumerable.Range(0, (int)window.ElementCount).Select(w => window.Unravel(w)).ToArray();
        }

        public int Rank { get; }

        public int[] Stride { get; }

        public int[] Lo { get; }

        public int[] Hi { get; }

        public int[] Operand { get; }

        public int[] Padded { get; }

        public int[] Span { get; }

        public int[][] Offsets { get; }

        public int[] Stop(int[] offset) => Enumerable.Range(0, Rank).Select(d => offset[d] + Span[d]).ToArray();

        public Value Pad(GraphBuilder builder, Value value, double fill) =>
            Lo.All(v => v == 0) && Hi.All(v => v == 0) ? value : builder.Pad(value, Lo, Hi, Scalar.FromDouble(DType.F64, fill));

        public Value Unpad(GraphBuilder builder, Value value) =>
            Lo.All(v => v == 0) && Hi.All(v => v == 0)
                ? value
                : builder.Slice(value, Lo, Enumerable.Range(0, Rank).Select(d => Lo[d] + Operand[d]).ToArray());
    }

    /// <summary>One max or add per window element per output element; reads the operand once and writes the result.</summary>
    public override OpCost Cost(OpContext context)
    {
        long windowSize = context.Attributes.Ints("window").Aggregate(1L, (p, d) => p * d);
        return new OpCost((double)windowSize * context.Result.ElementCount, context[0].SizeInBytes, context.Result.SizeInBytes);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>
    /// Emits <c>reduce_window(x) {mode, window, stride, padding}</c>; stride defaults to all 1 and padding
    /// ([lo0,hi0,lo1,hi1,...]) to all 0, both written out in full.
    /// </summary>
    public static Node ReduceWindow(this GraphBuilder builder, Value x, string mode, int[] window, int[]? stride = null, int[]? padding = null) =>
        builder.Emit(Ops.ReduceWindow.Instance, [x], AttributeMap.Of(
            ("mode", new StringAttr(mode)),
            ("window", new IntListAttr(window)),
            ("stride", new IntListAttr(stride ?? Enumerable.Repeat(1, x.Type.Rank).ToArray())),
            ("padding", new IntListAttr(padding ?? new int[2 * x.Type.Rank]))));
}
