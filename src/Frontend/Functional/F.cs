using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// The functional API (as <c>torch.nn.functional</c> and <c>jax.numpy</c>): primitives that are not methods on
/// <see cref="Tensor"/>, and composites written with primitives, one file each under <c>Functional/</c>.
/// </summary>
public static partial class F
{
    /// <summary>Chooses <paramref name="a"/> where <paramref name="condition"/> is true, else <paramref name="b"/>; all three broadcast.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = condition.At(file, line);
        if (!condition.DType.IsBool())
        {
            throw condition.Error("where", $"the condition must be bool, got {condition.Type}", a, b);
        }
        var values = Tensor.Unify("where", a, b);
        var shape = Promotion.BroadcastShapes(condition.Shape, values[0].Shape)
            ?? throw condition.Error("where", $"shapes {condition.Shape}, {a.Shape} and {b.Shape} cannot be broadcast together", a, b);
        return Tensor.Emit(Prim.Where, [condition.BroadcastTo(shape), values[0].BroadcastTo(shape), values[1].BroadcastTo(shape)]);
    }

    /// <summary><see cref="Where(Tensor, Tensor, Tensor, string, int)"/> with a scalar for the false branch.</summary>
    public static Tensor Where(Tensor condition, Tensor a, double b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = condition.At(file, line);
        return Where(condition, a, Full([], b, a.DType.IsFloat() ? a.DType : DType.F32));
    }

    /// <summary><see cref="Where(Tensor, Tensor, Tensor, string, int)"/> with a scalar for the true branch.</summary>
    public static Tensor Where(Tensor condition, double a, Tensor b, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = condition.At(file, line);
        return Where(condition, Full([], a, b.DType.IsFloat() ? b.DType : DType.F32), b);
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; dtypes are promoted, other dimensions must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        if (tensors.Count == 0)
        {
            throw new ArgumentException("concat needs at least one tensor", nameof(tensors));
        }
        using var _ = tensors[0].At(file, line);
        var dtype = tensors.Select(t => t.DType).Aggregate(Promotion.Promote);
        int a = tensors[0].Axis(axis, "concat");
        return Tensor.Emit(Prim.Concat, tensors.Select(t => t.CastTo(dtype)).ToArray(), AttributeMap.Of(("axis", new IntAttr(a))));
    }

    /// <summary><paramref name="base"/> raised to each element of <paramref name="exponent"/> (float).</summary>
    public static Tensor Power(double @base, Tensor exponent, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = exponent.At(file, line);
        var e = exponent.DType.IsFloat() ? exponent : exponent.CastTo(DType.F32);
        return Tensor.Binary(Prim.Pow, e, Tensor.Weak(@base), scalarFirst: true);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.F32, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var context = TraceContext.Ambient("F.Full");
        using var _ = context.At(file, line);
        return context.Emit(Prim.Full, [], AttributeMap.Of(("shape", new IntListAttr(shape)), ("value", new ScalarAttr(Scalar.FromDouble(DType.F64, value).CastTo(dtype)))));
    }

    public static Tensor Zeros(int[] shape, DType dtype = DType.F32, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Full(shape, 0, dtype, file, line);

    public static Tensor Ones(int[] shape, DType dtype = DType.F32, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Full(shape, 1, dtype, file, line);

    /// <summary>A constant tensor embedded in the graph.</summary>
    public static Tensor Constant(HostTensor value, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var context = TraceContext.Ambient("F.Constant");
        using var _ = context.At(file, line);
        return context.Emit(Prim.Constant, [], AttributeMap.Of(("value", new TensorAttr(value))));
    }

    /// <summary>0, 1, ..., n−1.</summary>
    public static Tensor Arange(int n, DType dtype = DType.I64, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Iota([n], 0, dtype, file, line);

    /// <summary>A tensor whose value is the index along <paramref name="axis"/>.</summary>
    public static Tensor Iota(int[] shape, int axis, DType dtype = DType.I64, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var context = TraceContext.Ambient("F.Iota");
        using var _ = context.At(file, line);
        return context.Emit(Prim.Iota, [], AttributeMap.Of(("shape", new IntListAttr(shape)), ("axis", new IntAttr(axis)), ("dtype", new DTypeAttr(dtype))));
    }

    /// <summary>Uniform [0, 1) numbers from Philox4x32-10 keyed by the i64 scalars <paramref name="seed"/> and <paramref name="offset"/>.</summary>
    public static Tensor RandomUniform(Tensor seed, Tensor offset, int[] shape, DType dtype = DType.F32,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = seed.At(file, line);
        return Tensor.Emit(Prim.RandomUniform, [seed, offset], AttributeMap.Of(("shape", new IntListAttr(shape)), ("dtype", new DTypeAttr(dtype))));
    }

    /// <summary>Standard normal numbers from Philox4x32-10 (Box–Muller).</summary>
    public static Tensor RandomNormal(Tensor seed, Tensor offset, int[] shape, DType dtype = DType.F32,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = seed.At(file, line);
        return Tensor.Emit(Prim.RandomNormal, [seed, offset], AttributeMap.Of(("shape", new IntListAttr(shape)), ("dtype", new DTypeAttr(dtype))));
    }

    /// <summary>True with probability <paramref name="p"/>, from Philox4x32-10.</summary>
    public static Tensor Bernoulli(Tensor seed, Tensor offset, int[] shape, double p,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = seed.At(file, line);
        return Tensor.Emit(Prim.Bernoulli, [seed, offset], AttributeMap.Of(("shape", new IntListAttr(shape)), ("p", new FloatAttr(p))));
    }

    /// <summary>
    /// Applies a loss's <paramref name="reduction"/> to its per-element values: "mean" (the default of every PyTorch
    /// loss), "sum" or "none" (the values themselves).
    /// </summary>
    internal static Tensor ApplyReduction(Tensor loss, string reduction) => reduction switch
    {
        "mean" => loss.Mean(),
        "sum" => loss.Sum(),
        "none" => loss,
        _ => throw new ArgumentException($"reduction must be \"mean\", \"sum\" or \"none\", got \"{reduction}\"", nameof(reduction)),
    };

    /// <summary>Throws for a reduction name <see cref="ApplyReduction"/> does not know, before any node is emitted.</summary>
    internal static void CheckReduction(string reduction)
    {
        if (reduction is not ("mean" or "sum" or "none"))
        {
            throw new ArgumentException($"reduction must be \"mean\", \"sum\" or \"none\", got \"{reduction}\"", nameof(reduction));
        }
    }

    /// <summary>
    /// The (seed, offset) operands for a new random op over <paramref name="elements"/> numbers (⌈n/4⌉ Philox blocks)
    /// in <paramref name="like"/>'s trace: its <c>rng.seed</c> and <c>rng.offset</c> inputs, the offset advanced past
    /// the trace's earlier random ops (see <see cref="TraceContext.RandomKey"/>).
    /// </summary>
    internal static (Tensor Seed, Tensor Offset) NextRandomKey(Tensor like, long elements)
    {
        var context = like.Context;
        var (seed, offset) = context.RandomKey((elements + 3) / 4);
        return (new Tensor(context, seed), new Tensor(context, offset));
    }
}
