using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

/// <summary>Reductions, movement, contraction and indexing. Axes may be negative (counted from the end).</summary>
public sealed partial class Tensor
{
    private static IntListAttr Ints(IEnumerable<int> values) => new(values);

    private int[] Axes(IEnumerable<int>? axes, string op)
    {
        var normalized = (axes ?? Enumerable.Range(0, Rank)).Select(a => Axis(a, op)).ToArray();
        if (normalized.Distinct().Count() != normalized.Length)
        {
            throw Error(op, $"axes [{string.Join(",", axes!)}] repeat an axis");
        }
        Array.Sort(normalized);
        return normalized;
    }

    private Tensor Reduce(OpDef op, int[]? axes, bool keepDims)
    {
        var x = op == Prim.ReduceSum && DType.IsBool() ? CastTo(DType.I64) : this;
        return x.Emit(op, AttributeMap.Of(("axes", Ints(x.Axes(axes, op.Name))), ("keepdims", new BoolAttr(keepDims))));
    }

    /// <summary>Sum over <paramref name="axes"/> (all axes when null). Bool tensors are counted as i64.</summary>
    public Tensor Sum(int[]? axes = null, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Reduce(Prim.ReduceSum, axes, keepDims);
    }

    public Tensor Sum(int axis, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Reduce(Prim.ReduceSum, [axis], keepDims);
    }

    /// <summary>
    /// Mean over <paramref name="axes"/> (all when null); integer tensors give f32. f16 and bf16 are summed and divided
    /// in f32 and the mean cast back (as PyTorch accumulates), so a sum beyond f16's 65504 does not make the mean ∞.
    /// </summary>
    public Tensor Mean(int[]? axes = null, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        var x = DType is DType.F32 or DType.F64 ? this : CastTo(DType.F32);
        var normalized = x.Axes(axes, "reduce_sum");
        long count = normalized.Aggregate(1L, (c, a) => c * Shape[a]);
        var mean = Binary(Prim.Div, x.Reduce(Prim.ReduceSum, normalized, keepDims), Weak((double)count));
        return DType is DType.F16 or DType.BF16 ? mean.CastTo(DType) : mean;
    }

    public Tensor Mean(int axis, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Mean([axis], keepDims, file, line);

    /// <summary>Maximum over <paramref name="axes"/> (all when null); NaN propagates. See <see cref="Maximum(Tensor, string, int)"/> for the elementwise form.</summary>
    public Tensor Max(int[]? axes = null, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Reduce(Prim.ReduceMax, axes, keepDims);
    }

    public Tensor Max(int axis, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Reduce(Prim.ReduceMax, [axis], keepDims);
    }

    public Tensor Min(int[]? axes = null, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Reduce(Prim.ReduceMin, axes, keepDims);
    }

    public Tensor Min(int axis, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Reduce(Prim.ReduceMin, [axis], keepDims);
    }

    /// <summary>Index (i64) of the largest element along <paramref name="axis"/>; the first on ties.</summary>
    public Tensor ArgMax(int axis = -1, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Emit(Prim.ArgMax, AttributeMap.Of(("axis", new IntAttr(Axis(axis, "argmax"))), ("keepdims", new BoolAttr(keepDims))));
    }

    public Tensor ArgMin(int axis = -1, bool keepDims = false, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Emit(Prim.ArgMin, AttributeMap.Of(("axis", new IntAttr(Axis(axis, "argmin"))), ("keepdims", new BoolAttr(keepDims))));
    }

    /// <summary>Reshapes to <paramref name="shape"/>; one dimension may be -1 and is inferred.</summary>
    public Tensor Reshape(params int[] shape)
    {
        using var _ = Context.AtUserFrame();
        var dims = (int[])shape.Clone();
        int inferred = Array.IndexOf(dims, -1);
        if (dims.Count(d => d == -1) > 1 || dims.Any(d => d < -1))
        {
            throw Error("reshape", $"shape [{string.Join(",", shape)}] may hold at most one -1 and no other negative size");
        }
        if (inferred >= 0)
        {
            long known = dims.Where(d => d != -1).Aggregate(1L, (p, d) => p * d);
            if (known == 0 || Shape.ElementCount % known != 0)
            {
                throw Error("reshape", $"cannot reshape {Type} ({Shape.ElementCount} elements) to [{string.Join(",", shape)}]");
            }
            dims[inferred] = (int)(Shape.ElementCount / known);
        }
        if (Shape.AsSpan().SequenceEqual(dims))
        {
            return this;
        }
        return Emit(Prim.Reshape, AttributeMap.Of(("shape", Ints(dims))));
    }

    /// <summary>Reorders axes: result axis i is input axis <c>perm[i]</c>.</summary>
    public Tensor Permute(params int[] perm)
    {
        using var _ = Context.AtUserFrame();
        if (perm.Length != Rank)
        {
            throw Error("permute", $"perm [{string.Join(",", perm)}] must list all {Rank} axes");
        }
        return Emit(Prim.Permute, AttributeMap.Of(("perm", Ints(perm.Select(a => Axis(a, "permute"))))));
    }

    /// <summary>Swaps two axes (by default the last two, the matrix transpose).</summary>
    public Tensor Transpose(int axis0 = -2, int axis1 = -1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        var perm = Enumerable.Range(0, Rank).ToArray();
        int a = Axis(axis0, "permute"), b = Axis(axis1, "permute");
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Emit(Prim.Permute, AttributeMap.Of(("perm", Ints(perm))));
    }

    /// <summary>Inserts a size-1 axis at <paramref name="axis"/> (negative counts from the end of the result).</summary>
    public Tensor Unsqueeze(int axis, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank)
        {
            throw Error("reshape", $"unsqueeze axis {axis} is out of range for {Type}");
        }
        var dims = Shape.ToList();
        dims.Insert(a, 1);
        return Emit(Prim.Reshape, AttributeMap.Of(("shape", Ints(dims))));
    }

    /// <summary>Removes the size-1 axis <paramref name="axis"/>.</summary>
    public Tensor Squeeze(int axis, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        int a = Axis(axis, "reshape");
        if (Shape[a] != 1)
        {
            throw Error("reshape", $"cannot squeeze axis {axis} of {Type}: its size is {Shape[a]}, not 1");
        }
        var dims = Shape.ToList();
        dims.RemoveAt(a);
        return Emit(Prim.Reshape, AttributeMap.Of(("shape", Ints(dims))));
    }

    /// <summary>Broadcasts NumPy-style to <paramref name="shape"/>.</summary>
    public Tensor Expand(params int[] shape)
    {
        using var _ = Context.AtUserFrame();
        var target = new Shape(shape);
        if (Promotion.BroadcastShapes(Shape, target) != target)
        {
            throw Error("broadcast_in_dim", $"cannot broadcast {Type} to [{string.Join(",", shape)}]");
        }
        return BroadcastTo(target);
    }

    /// <summary>
    /// Python-style slice of one axis: negative <paramref name="start"/>/<paramref name="stop"/> count from the end
    /// and are clamped to the axis; <paramref name="step"/> ≥ 1.
    /// </summary>
    public Tensor Slice(int axis, int start, int stop, int step = 1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        int a = Axis(axis, "slice");
        if (step < 1)
        {
            throw Error("slice", $"step must be at least 1, got {step}");
        }
        int n = Shape[a];
        int Clamp(int i) => Math.Clamp(i < 0 ? i + n : i, 0, n);
        int lo = Clamp(start), hi = Math.Max(lo, Clamp(stop));
        var starts = new int[Rank];
        var stops = Shape.ToArray();
        var steps = Enumerable.Repeat(1, Rank).ToArray();
        starts[a] = lo;
        stops[a] = hi;
        steps[a] = step;
        return Emit(Prim.Slice, AttributeMap.Of(("start", Ints(starts)), ("stop", Ints(stops)), ("step", Ints(steps))));
    }

    /// <summary>Pads with <paramref name="value"/>: <paramref name="low"/>[i] before and <paramref name="high"/>[i] after axis i.</summary>
    public Tensor Pad(int[] low, int[] high, double value = 0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Emit(Prim.Pad, AttributeMap.Of(("lo", Ints(low)), ("hi", Ints(high)),
            ("value", new ScalarAttr(Scalar.FromDouble(DType.F64, value).CastTo(DType)))));
    }

    /// <summary>
    /// Matrix product with NumPy semantics: batch dimensions broadcast; a rank-1 operand is treated as a row
    /// (left) or column (right) vector and that axis is removed from the result.
    /// </summary>
    public Tensor MatMul(Tensor other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        if (Rank == 0 || other.Rank == 0)
        {
            throw Error("matmul", $"operands must have rank 1 or more, got {Type} and {other.Type}", other);
        }
        var dtype = Promotion.Promote(DType, other.DType);
        var a = CastTo(dtype);
        var b = other.CastTo(dtype);
        bool vectorLeft = a.Rank == 1, vectorRight = b.Rank == 1;
        if (vectorLeft)
        {
            a = a.Emit(Prim.Reshape, AttributeMap.Of(("shape", Ints([1, a.Shape[0]]))));
        }
        if (vectorRight)
        {
            b = b.Emit(Prim.Reshape, AttributeMap.Of(("shape", Ints([b.Shape[0], 1]))));
        }
        var result = Emit(Prim.MatMul, [a, b]);
        if (vectorLeft || vectorRight)
        {
            var dims = result.Shape.ToList();
            if (vectorRight)
            {
                dims.RemoveAt(dims.Count - 1);
            }
            if (vectorLeft)
            {
                dims.RemoveAt(dims.Count - (vectorRight ? 1 : 2));
            }
            result = result.Emit(Prim.Reshape, AttributeMap.Of(("shape", Ints(dims))));
        }
        return result;
    }

    /// <summary>
    /// <c>out[i][j] = x[i][index[i][j]]</c> along <paramref name="axis"/> (torch.gather): picks class logits,
    /// looks up embeddings. <paramref name="index"/> is i32 or i64 of the same rank.
    /// </summary>
    public Tensor Gather(int axis, Tensor index, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Emit(Prim.Gather, [this, index], AttributeMap.Of(("axis", new IntAttr(Axis(axis, "gather")))));
    }

    /// <summary>A copy of this tensor with <paramref name="source"/> added at <paramref name="index"/> along <paramref name="axis"/> (torch.scatter_add).</summary>
    public Tensor ScatterAdd(int axis, Tensor index, Tensor source, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Emit(Prim.ScatterAdd, [this, index, source], AttributeMap.Of(("axis", new IntAttr(Axis(axis, "scatter_add")))));
    }
}
