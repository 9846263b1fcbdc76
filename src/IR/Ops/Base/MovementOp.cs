namespace GraphDL.IR.Ops;

/// <summary>
/// An op that moves or copies elements without arithmetic (reshape, permute, broadcast, slice, pad, concat). It works
/// on every dtype, bool included, and copies elements exactly. Its cost is memory traffic alone: it reads its
/// operands once and writes its result once, with no arithmetic.
/// </summary>
public abstract class MovementOp : OpDef
{
    public override OpTraits Traits => OpTraits.Movement;

    public override int MinOperands => 1;

    public override OpCost Cost(OpContext context) => OpCost.Streaming(context, 0);
}

/// <summary>Shared attribute checks for movement ops.</summary>
internal static class MovementChecks
{
    /// <summary>Reads an int-list attribute naming a shape and checks each dimension is non-negative and the count fits.</summary>
    public static Shape ShapeAttribute(OpContext context, string attribute)
    {
        var dims = context.Attributes.Ints(attribute);
        string text = $"{attribute}={IntLists.Format(dims)}";
        foreach (int d in dims)
        {
            if (d < 0)
            {
                throw context.Error($"{text} has a negative dimension {d} (IR shapes are static and non-negative)");
            }
        }
        return Shape.TryCreate(dims.ToArray()) ?? throw context.Error($"{text} has more than 2^48 elements (the most a tensor may have)");
    }

    /// <summary>Reads an int-list attribute that must hold one entry per axis of <paramref name="operand"/>.</summary>
    public static IReadOnlyList<int> PerAxis(OpContext context, string attribute, TensorType operand)
    {
        var values = context.Attributes.Ints(attribute);
        if (values.Count != operand.Rank)
        {
            throw context.Error($"{attribute}={IntLists.Format(values)} has {values.Count} entries but the operand {operand} has rank {operand.Rank} (one per axis)");
        }
        return values;
    }

    /// <summary>A result dimension computed in long, rejected when it does not fit in an int.</summary>
    public static int Dimension(OpContext context, long size, string what)
    {
        if (size > int.MaxValue)
        {
            throw context.Error($"{what} is {size}, more than a dimension can hold");
        }
        return (int)size;
    }
}
