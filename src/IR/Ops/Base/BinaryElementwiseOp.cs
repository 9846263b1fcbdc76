namespace GraphDL.IR.Ops;

/// <summary>
/// An elementwise op of two operands of one type (broadcasting is explicit in the IR, via broadcast_in_dim).
/// The result has the operands' type, or bool for comparisons. Evaluation follows <see cref="UnaryElementwiseOp"/>:
/// floats in double rounded once, integers in long wrapped, bools as bools.
/// </summary>
public abstract partial class BinaryElementwiseOp : OpDef
{
    public override OpTraits Traits => OpTraits.Elementwise;

    public override int MinOperands => 2;

    public abstract DTypeClass Accepts { get; }

    /// <summary>True for comparisons, whose result is bool whatever the operand dtype.</summary>
    protected virtual bool ResultIsBool => false;

    public virtual double ApplyFloat(double a, double b) => throw new NotSupportedException($"{Name} on floats");

    public virtual long ApplyInteger(long a, long b) => throw new NotSupportedException($"{Name} on integers");

    public virtual bool ApplyBool(bool a, bool b) => throw new NotSupportedException($"{Name} on bool");

    /// <summary>Comparisons: the predicate on floats (IEEE: any comparison with NaN is false except <c>ne</c>).</summary>
    public virtual bool CompareFloat(double a, double b) => throw new NotSupportedException($"{Name} is not a comparison");

    /// <summary>Comparisons: the predicate on integers and bools (bools as 0 and 1).</summary>
    public virtual bool CompareInteger(long a, long b) => throw new NotSupportedException($"{Name} is not a comparison");

    public override TensorType InferType(OpContext context)
    {
        TensorType a = context[0], b = context[1];
        if (a.Shape != b.Shape)
        {
            throw context.Error($"operand shapes differ: {a} and {b} (elementwise ops take equal shapes; broadcast explicitly with broadcast_in_dim)");
        }
        if (a.DType != b.DType)
        {
            throw context.Error($"operand dtypes differ: {a} and {b} (convert one with cast)");
        }
        if (!Accepts.Contains(a.DType))
        {
            throw context.Error($"operands must be {Accepts.Describe()}, got {a} and {b}");
        }
        return ResultIsBool ? a.WithDType(DType.Bool) : a;
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        HostTensor a = context[0], b = context[1];
        var dtype = a.DType;
        var shape = a.Shape;
        long n = a.ElementCount;
        if (ResultIsBool)
        {
            var result = new bool[n];
            if (dtype.IsFloat())
            {
                double[] x = a.ToDoubleArray(), y = b.ToDoubleArray();
                for (long i = 0; i < n; i++)
                {
                    result[i] = CompareFloat(x[i], y[i]);
                }
            }
            else
            {
                long[] x = a.ToInt64Array(), y = b.ToInt64Array();
                for (long i = 0; i < n; i++)
                {
                    result[i] = CompareInteger(x[i], y[i]);
                }
            }
            return HostTensor.FromBools(shape, result);
        }
        if (dtype.IsFloat())
        {
            double[] x = a.ToDoubleArray(), y = b.ToDoubleArray(), result = new double[n];
            for (long i = 0; i < n; i++)
            {
                result[i] = ApplyFloat(x[i], y[i]);
            }
            return HostTensor.FromDoubles(dtype, shape, result);
        }
        if (dtype.IsInteger())
        {
            long[] x = a.ToInt64Array(), y = b.ToInt64Array(), result = new long[n];
            for (long i = 0; i < n; i++)
            {
                result[i] = ElementConversion.WrapInteger(ApplyInteger(x[i], y[i]), dtype);
            }
            return HostTensor.FromInt64s(dtype, shape, result);
        }
        bool[] p = a.ToBoolArray(), q = b.ToBoolArray(), r = new bool[n];
        for (long i = 0; i < n; i++)
        {
            r[i] = ApplyBool(p[i], q[i]);
        }
        return HostTensor.FromBools(shape, r);
    }
}

public abstract partial class BinaryElementwiseOp
{
    /// <summary>Whether <see cref="Partials"/> is implemented; both autodiff modes derive from it.</summary>
    protected virtual bool HasPartials => false;

    /// <summary>
    /// ∂y/∂a and ∂y/∂b as IR for the forward node <paramref name="node"/>, each null where it is zero or not
    /// needed (see <see cref="AutodiffRules.NeedsGradient"/>: literals and integer operands get none). VJP multiplies
    /// the cotangent by each, JVP sums tangent × partial. Linear ops may override Vjp/Jvp directly instead.
    /// </summary>
    protected virtual (Value? A, Value? B) Partials(GraphBuilder builder, Node node) => throw new MissingRuleException(this, "partial derivatives", node.Loc);

    public override bool HasVjp => HasPartials;

    public override bool HasJvp => HasPartials;

    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        var (a, b) = Partials(builder, node);
        return [a is null ? null : builder.Mul(cotangent, a), b is null ? null : builder.Mul(cotangent, b)];
    }

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents)
    {
        var (a, b) = Partials(builder, node);
        Value? ta = tangents[0] is { } t0 && a is not null ? builder.Mul(t0, a) : null;
        Value? tb = tangents[1] is { } t1 && b is not null ? builder.Mul(t1, b) : null;
        return ta is null ? tb : tb is null ? ta : builder.Add(ta, tb);
    }
}

/// <summary>An ordered or equality comparison producing bool.</summary>
public abstract class ComparisonOp : BinaryElementwiseOp
{
    public override OpTraits Traits => OpTraits.Elementwise | OpTraits.Comparison;

    protected override bool ResultIsBool => true;
}
