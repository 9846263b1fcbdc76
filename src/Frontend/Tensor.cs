using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// A symbolic tensor inside a trace: it stands for an IR value with a static type, and every operation on it emits
/// IR into the trace's graph, stamped with the user's C# file and line. Operators and methods broadcast NumPy-style
/// and promote dtypes as <see cref="Promotion"/> documents. Create tensors only through <see cref="Trace"/>.
/// </summary>
public sealed partial class Tensor
{
    private readonly TraceContext? _context;
    private readonly Value? _value;

    internal Tensor(TraceContext context, Value value)
    {
        _context = context;
        _value = value;
    }

    /// <summary>A parameter or buffer's handle: in each trace it stands for that trace's input holding the parameter.</summary>
    internal Tensor(Parameter parameter) => Parameter = parameter;

    /// <summary>The parameter or buffer this tensor stands for, or null for an ordinary traced value.</summary>
    public Parameter? Parameter { get; }

    internal TraceContext Context => _context ?? TraceContext.Ambient($"using {Parameter!.Role.ToString().ToLowerInvariant()} '{Parameter.Name}'");

    /// <summary>The IR value this tensor stands for (for a parameter, its input in the current trace).</summary>
    public Value Value => _value ?? Context.Bind(Parameter!);

    public TensorType Type => Parameter?.Type ?? _value!.Type;

    public Shape Shape => Type.Shape;

    public DType DType => Type.DType;

    public int Rank => Type.Rank;

    /// <summary>The size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Size(int axis) => Shape[NormalizeAxis(axis, Rank, "size")];

    public override string ToString() => Parameter is { } p ? $"{p.Role}({p.Name}, {Type})" : Value switch
    {
        Node node => $"Tensor({Type}, {node.Op.Name}{(node.Loc.IsKnown ? " at " + node.Loc : "")})",
        GraphInput input => $"Tensor({Type}, %{input.Name})",
        _ => $"Tensor({Type})",
    };

    // ---- helpers shared by the partial files -------------------------------------------------------------

    internal GraphBuilder Builder => Context.Open();

    internal TraceContext.Scope At(string file, int line) => Context.At(file, line);

    internal Tensor Emit(OpDef op, AttributeMap? attributes = null) => Context.Emit(op, [Value], attributes);

    internal static Tensor Emit(OpDef op, IReadOnlyList<Tensor> operands, AttributeMap? attributes = null)
    {
        var context = SameTrace(operands);
        return context.Emit(op, operands.Select(t => t.Value).ToArray(), attributes);
    }

    internal static TraceContext SameTrace(IReadOnlyList<Tensor> tensors)
    {
        var context = tensors[0].Context;
        foreach (var t in tensors)
        {
            if (t.Context != context)
            {
                throw new InvalidOperationException($"tensors from different traces (@{context.Builder.Name} and @{t.Context.Builder.Name}) cannot be combined");
            }
        }
        return context;
    }

    /// <summary>A type error at the current user line, naming the op and the operand types.</summary>
    internal ShapeException Error(string op, string detail, params Tensor[] operands) =>
        new(op, [this.Type, .. operands.Select(o => o.Type)], detail, Context.Builder.Location);

    internal static int NormalizeAxis(int axis, int rank, string what)
    {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= Math.Max(rank, 0) )
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"{what}: axis {axis} is out of range for rank {rank} (valid: {-rank} to {rank - 1})");
        }
        return normalized;
    }

    internal int Axis(int axis, string op)
    {
        int normalized = axis < 0 ? axis + Rank : axis;
        if (normalized < 0 || normalized >= Rank)
        {
            throw Error(op, $"axis {axis} is out of range for {Type} (valid: {-Rank} to {Rank - 1})");
        }
        return normalized;
    }

    /// <summary>This tensor converted to <paramref name="dtype"/> (no node when it already is).</summary>
    internal Tensor CastTo(DType dtype) => dtype == DType ? this
        : Context.Emit(Prim.Cast, [Value], AttributeMap.Of(("dtype", new DTypeAttr(dtype))));

    /// <summary>This tensor broadcast to <paramref name="shape"/> NumPy-style (no node when it already has it).</summary>
    internal Tensor BroadcastTo(Shape shape)
    {
        if (Shape == shape)
        {
            return this;
        }
        var dims = Enumerable.Range(shape.Rank - Rank, Rank).ToArray();
        return Emit(Prim.BroadcastInDim, AttributeMap.Of(("shape", new IntListAttr(shape.ToArray())), ("dims", new IntListAttr(dims))));
    }

    /// <summary>Promotes and broadcasts operands to one type: the common path of binary ops and <c>where</c>.</summary>
    internal static Tensor[] Unify(string op, params Tensor[] operands)
    {
        SameTrace(operands);
        var dtype = operands.Select(o => o.DType).Aggregate(Promotion.Promote);
        var shape = operands[0].Shape;
        foreach (var o in operands.Skip(1))
        {
            shape = Promotion.BroadcastShapes(shape, o.Shape)
                ?? throw operands[0].Error(op, $"shapes {string.Join(" and ", operands.Select(t => t.Shape))} cannot be broadcast together", operands[1..]);
        }
        return operands.Select(o => o.CastTo(dtype).BroadcastTo(shape)).ToArray();
    }

    internal static Tensor Binary(OpDef op, Tensor a, Tensor b)
    {
        var u = Unify(op.Name, a, b);
        return Emit(op, u);
    }

    /// <summary>A binary op with a weak scalar on one side, emitted as an immediate literal operand.</summary>
    internal static Tensor Binary(OpDef op, Tensor a, Scalar b, bool scalarFirst = false)
    {
        var dtype = Promotion.WithScalar(a.DType, b.DType);
        var t = a.CastTo(dtype);
        var literal = a.Builder.Literal(b, t.Type);
        Value[] operands = scalarFirst ? [literal, t.Value] : [t.Value, literal];
        return a.Context.Emit(op, operands);
    }

    internal static Scalar Weak(double value) => Scalar.FromDouble(DType.F64, value);

    internal static Scalar Weak(long value) => Scalar.FromInt64(DType.I64, value);

    private Tensor Unary(OpDef op, string file, int line)
    {
        using var _ = At(file, line);
        return Emit(op);
    }

    /// <summary>Float-only unary math on an integer or bool tensor first converts it to f32, as PyTorch does.</summary>
    private Tensor FloatUnary(OpDef op, string file, int line)
    {
        using var _ = At(file, line);
        return (DType.IsFloat() ? this : CastTo(DType.F32)).Emit(op);
    }

    public Tensor Neg([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Unary(Prim.Neg, file, line);

    public Tensor Abs([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Unary(Prim.Abs, file, line);

    public Tensor Sign([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Unary(Prim.Sign, file, line);

    public Tensor Exp([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Exp, file, line);

    public Tensor Log([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Log, file, line);

    public Tensor Log1p([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Log1p, file, line);

    public Tensor Expm1([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Expm1, file, line);

    public Tensor Sqrt([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Sqrt, file, line);

    public Tensor Rsqrt([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Rsqrt, file, line);

    public Tensor Reciprocal([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Reciprocal, file, line);

    public Tensor Sin([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Sin, file, line);

    public Tensor Cos([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Cos, file, line);

    public Tensor Tanh([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Tanh, file, line);

    /// <summary>The logistic function 1/(1+e⁻ˣ).</summary>
    public Tensor Sigmoid([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Logistic, file, line);

    public Tensor Erf([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => FloatUnary(Prim.Erf, file, line);

    public Tensor Floor([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Unary(Prim.Floor, file, line);

    public Tensor Ceil([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Unary(Prim.Ceil, file, line);

    /// <summary>Logical not of a bool tensor.</summary>
    public Tensor Not([CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Unary(Prim.Not, file, line);

    /// <summary>Converts to <paramref name="dtype"/> (float to integer truncates toward zero and saturates; NaN gives 0).</summary>
    public Tensor To(DType dtype, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return CastTo(dtype);
    }

    /// <summary>Elementwise power (floats; integer operands are converted to f32).</summary>
    public Tensor Pow(Tensor exponent, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        var u = Unify("pow", this, exponent);
        return u[0].DType.IsFloat() ? Emit(Prim.Pow, u) : Emit(Prim.Pow, [u[0].CastTo(DType.F32), u[1].CastTo(DType.F32)]);
    }

    public Tensor Pow(double exponent, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Pow, DType.IsFloat() ? this : CastTo(DType.F32), Weak(exponent));
    }

    /// <summary>Elementwise maximum (NaN propagates).</summary>
    public Tensor Maximum(Tensor other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Max, this, other);
    }

    public Tensor Maximum(double other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Max, this, Weak(other));
    }

    /// <summary>Elementwise minimum (NaN propagates).</summary>
    public Tensor Minimum(Tensor other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Min, this, other);
    }

    public Tensor Minimum(double other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Min, this, Weak(other));
    }

    /// <summary>Elementwise equality (a bool tensor; C#'s <c>==</c> keeps its reference meaning).</summary>
    public Tensor Eq(Tensor other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Eq, this, other);
    }

    public Tensor Eq(double other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Eq, this, Weak(other));
    }

    public Tensor Ne(Tensor other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Ne, this, other);
    }

    public Tensor Ne(double other, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = At(file, line);
        return Binary(Prim.Ne, this, Weak(other));
    }
}
