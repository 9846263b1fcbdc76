namespace GraphDL.IR.Ops;

/// <summary>
/// A reduction of one numeric operand over a set of axes (<c>axes</c>: strictly increasing, each in range; empty is an
/// identity copy), dropping them from the result or keeping them as size 1 (<c>keepdims</c>). The reduced elements of
/// each result element are combined in row-major order, starting from the first of them; a result element with none
/// (some reduced axis has size 0) is <see cref="FloatIdentity"/> or <see cref="IntegerIdentity"/>. Floats combine in
/// double and round once to the dtype; integers combine in long and wrap.
/// </summary>
public abstract class ReductionOp : OpDef
{
    public override OpTraits Traits => OpTraits.Reduction | OpTraits.RowReduction;

    /// <summary>The elementwise op that combines two partial results (<c>add</c> for reduce_sum), as <see cref="CombineFloat"/> does.</summary>
    public abstract BinaryElementwiseOp Combiner { get; }

    public override int MinOperands => 1;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("axes", AttrKind.IntList),
        AttrSpec.Optional("keepdims", new BoolAttr(false)),
    ];

    /// <summary>The result of reducing an empty set of floats.</summary>
    protected abstract double FloatIdentity { get; }

    /// <summary>The result of reducing an empty set of integers of <paramref name="dtype"/>.</summary>
    protected abstract long IntegerIdentity(DType dtype);

    protected abstract double CombineFloat(double accumulator, double value);

    protected abstract long CombineInteger(long accumulator, long value);

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        if (!x.DType.IsNumeric())
        {
            throw context.Error($"operand must be {DTypeClass.Numeric.Describe()}, got {x}");
        }
        var axes = context.Attributes.Ints("axes");
        var reduced = ReductionAxes.Check(context, "axes", axes, x);
        return x.WithShape(ReductionAxes.ResultShape(x.Shape, reduced, context.Attributes.Bool("keepdims")));
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var shape = x.Shape;
        var reduced = new bool[shape.Rank];
        foreach (var axis in context.Attributes.Ints("axes"))
        {
            reduced[axis] = true;
        }
        var result = context.Result;
        long count = result.ElementCount;
        var seen = new bool[count];
        if (x.DType.IsFloat())
        {
            var values = x.ToDoubleArray();
            var accumulators = new double[count];
            Array.Fill(accumulators, FloatIdentity);
            for (long i = 0; i < values.LongLength; i++)
            {
                long o = ReductionAxes.ResultIndex(shape, reduced, i);
                accumulators[o] = seen[o] ? CombineFloat(accumulators[o], values[i]) : values[i];
                seen[o] = true;
            }
            return HostTensor.FromDoubles(result.DType, result.Shape, accumulators);
        }
        else
        {
            var values = x.ToInt64Array();
            var accumulators = new long[count];
            Array.Fill(accumulators, IntegerIdentity(x.DType));
            for (long i = 0; i < values.LongLength; i++)
            {
                long o = ReductionAxes.ResultIndex(shape, reduced, i);
                accumulators[o] = seen[o] ? ElementConversion.WrapInteger(CombineInteger(accumulators[o], values[i]), x.DType) : values[i];
                seen[o] = true;
            }
            return HostTensor.FromInt64s(result.DType, result.Shape, accumulators);
        }
    }

    /// <summary>One operation per operand element; reads the operand, writes the result.</summary>
    public override OpCost Cost(OpContext context) =>
        new(context[0].ElementCount, context[0].SizeInBytes, context.Result.SizeInBytes);
}

/// <summary>
/// Index of the first extreme element along one axis (<c>axis</c>), as i64; ties go to the first index and NaN counts
/// as the extreme (the first NaN wins), as in NumPy. The axis is dropped from the result or kept as size 1
/// (<c>keepdims</c>); it must not have size 0.
/// </summary>
public abstract class ArgReductionOp : OpDef
{
    public override OpTraits Traits => OpTraits.Reduction;

    public override int MinOperands => 1;

    public override IReadOnlyList<AttrSpec> AttributeSpecs { get; } =
    [
        AttrSpec.Required("axis", AttrKind.Int),
        AttrSpec.Optional("keepdims", new BoolAttr(false)),
    ];

    /// <summary>Whether <paramref name="candidate"/> replaces the current extreme <paramref name="best"/> (neither is NaN).</summary>
    protected abstract bool IsBetter(double candidate, double best);

    /// <summary>Whether <paramref name="candidate"/> replaces the current extreme <paramref name="best"/>.</summary>
    protected abstract bool IsBetter(long candidate, long best);

    public override TensorType InferType(OpContext context)
    {
        var x = context[0];
        if (!x.DType.IsNumeric())
        {
            throw context.Error($"operand must be {DTypeClass.Numeric.Describe()}, got {x}");
        }
        if (x.Rank == 0)
        {
            throw context.Error($"operand {x} has rank 0: there is no axis to take {Name} along");
        }
        int axis = context.Axis("axis", x.Rank);
        if (x.Shape[axis] == 0)
        {
            throw context.Error($"axis={axis} of {x} has size 0: {Name} of an empty set is undefined");
        }
        var reduced = new bool[x.Rank];
        reduced[axis] = true;
        return new TensorType(DType.I64, ReductionAxes.ResultShape(x.Shape, reduced, context.Attributes.Bool("keepdims")));
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        var x = context[0];
        var shape = x.Shape;
        int axis = context.Axis("axis");
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= shape[d];
        }
        for (int d = axis + 1; d < shape.Rank; d++)
        {
            inner *= shape[d];
        }
        int n = shape[axis];
        bool isFloat = x.DType.IsFloat();
        double[] floats = isFloat ? x.ToDoubleArray() : [];
        long[] integers = isFloat ? [] : x.ToInt64Array();
        var result = new long[outer * inner];
        for (long o = 0; o < outer; o++)
        {
            for (long j = 0; j < inner; j++)
            {
                long best = 0;
                for (int k = 1; k < n; k++)
                {
                    long at = (o * n + k) * inner + j, bestAt = (o * n + best) * inner + j;
                    if (isFloat)
                    {
                        if (double.IsNaN(floats[bestAt]))
                        {
                            break;
                        }
                        if (double.IsNaN(floats[at]) || IsBetter(floats[at], floats[bestAt]))
                        {
                            best = k;
                        }
                    }
                    else if (IsBetter(integers[at], integers[bestAt]))
                    {
                        best = k;
                    }
                }
                result[o * inner + j] = best;
            }
        }
        return HostTensor.FromInt64s(DType.I64, context.Result.Shape, result);
    }

    /// <summary>One comparison per operand element; reads the operand, writes the indices.</summary>
    public override OpCost Cost(OpContext context) =>
        new(context[0].ElementCount, context[0].SizeInBytes, context.Result.SizeInBytes);
}

/// <summary>Shared checks and index arithmetic for reductions.</summary>
internal static class ReductionAxes
{
    /// <summary>Checks an axes attribute (each in range, strictly increasing) and returns the reduced-axis mask.</summary>
    public static bool[] Check(OpContext context, string attribute, IReadOnlyList<int> axes, TensorType operand)
    {
        var reduced = new bool[operand.Rank];
        string text = $"{attribute}={IntLists.Format(axes)}";
        for (int i = 0; i < axes.Count; i++)
        {
            int axis = axes[i];
            if (axis < 0 || axis >= operand.Rank)
            {
                throw context.Error($"{text}: axis {axis} is out of range for {operand} (axes are 0 to {operand.Rank - 1})");
            }
            if (i > 0 && axis <= axes[i - 1])
            {
                throw context.Error($"{text} must be strictly increasing (no repeats), for {operand}");
            }
            reduced[axis] = true;
        }
        return reduced;
    }

    /// <summary>The shape without the reduced axes, or with them as 1 when <paramref name="keepdims"/>.</summary>
    public static Shape ResultShape(Shape shape, bool[] reduced, bool keepdims)
    {
        var dims = new List<int>();
        for (int d = 0; d < shape.Rank; d++)
        {
            if (!reduced[d])
            {
                dims.Add(shape[d]);
            }
            else if (keepdims)
            {
                dims.Add(1);
            }
        }
        return new Shape(dims);
    }

    /// <summary>The row-major result index an operand element reduces into (the same with or without keepdims).</summary>
    public static long ResultIndex(Shape shape, bool[] reduced, long flatIndex)
    {
        var index = shape.Unravel(flatIndex);
        long result = 0;
        for (int d = 0; d < shape.Rank; d++)
        {
            if (!reduced[d])
            {
                result = result * shape[d] + index[d];
            }
        }
        return result;
    }
}

/// <summary>Formatting of int-list attributes in error messages, as the text form writes them.</summary>
internal static class IntLists
{
    public static string Format(IReadOnlyList<int> values) => "[" + string.Join(",", values) + "]";
}
