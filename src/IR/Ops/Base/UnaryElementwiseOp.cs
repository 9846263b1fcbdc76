namespace GraphDL.IR.Ops;

/// <summary>
/// An elementwise op of one operand. A subclass names the dtypes it accepts and gives the scalar function for
/// each domain: floats are computed in double and rounded once to the result dtype (so f32 results are as
/// accurate as f32 can hold), integers in long and wrapped, bools as bools.
/// </summary>
public abstract class UnaryElementwiseOp : OpDef
{
    public override OpTraits Traits => OpTraits.Elementwise;

    public override int MinOperands => 1;

    /// <summary>The operand dtypes this op is defined on.</summary>
    public abstract DTypeClass Accepts { get; }

    /// <summary>Estimated operations per element (transcendentals cost more than an add).</summary>
    protected virtual double FlopsPerElement => 1;

    public virtual double ApplyFloat(double x) => throw new NotSupportedException($"{Name} on floats");

    public virtual long ApplyInteger(long x) => throw new NotSupportedException($"{Name} on integers");

    public virtual bool ApplyBool(bool x) => throw new NotSupportedException($"{Name} on bool");

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        if (!Accepts.Contains(x.DType))
        {
            throw context.Error($"operand must be {Accepts.Describe()}, got {x}");
        }
        return x;
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var dtype = x.DType;
        if (dtype.IsFloat())
        {
            return HostTensor.FromDoubles(dtype, x.Shape, Array.ConvertAll(x.ToDoubleArray(), ApplyFloat));
        }
        if (dtype.IsInteger())
        {
            return HostTensor.FromInt64s(dtype, x.Shape, Array.ConvertAll(x.ToInt64Array(), v => ElementConversion.WrapInteger(ApplyInteger(v), dtype)));
        }
        return HostTensor.FromBools(x.Shape, Array.ConvertAll(x.ToBoolArray(), ApplyBool));
    }

    public override OpCost Cost(OpContext context) => OpCost.Streaming(context, FlopsPerElement);

    /// <summary>Whether <see cref="Derivative"/> is implemented; both autodiff modes derive from it.</summary>
    protected virtual bool HasDerivative => false;

    /// <summary>
    /// dy/dx as IR for the forward node <paramref name="node"/> (x is <c>node.Operands[0]</c>, y is the node), or
    /// null where it is zero almost everywhere (floor, sign). One derivative serves both modes, as in DiffSharp:
    /// VJP multiplies the cotangent by it and JVP the tangent. It must be built from differentiable primitives.
    /// </summary>
    protected virtual Value? Derivative(GraphBuilder builder, Node node) => throw new MissingRuleException(this, "derivative", node.Loc);

    public override bool HasVjp => HasDerivative;

    public override bool HasJvp => HasDerivative;

    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
        [Derivative(builder, node) is { } d ? builder.Mul(cotangent, d) : null];

    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        tangents[0] is { } t && Derivative(builder, node) is { } d ? builder.Mul(t, d) : null;
}
