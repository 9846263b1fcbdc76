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
}
