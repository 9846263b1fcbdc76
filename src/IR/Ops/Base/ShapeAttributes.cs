namespace GraphDL.IR.Ops;

/// <summary>Reads and checks shape-like attributes (creation ops' <c>shape</c>, window ops' sizes).</summary>
internal static class ShapeAttributes
{
    /// <summary>The IntList attribute <paramref name="name"/> as a shape, rejecting negative dimensions by name.</summary>
    public static Shape Read(OpContext context, string name)
    {
        var dims = context.Attributes.Ints(name);
        if (dims.Any(d => d < 0))
        {
            throw context.Error($"{name}={Format(dims)} has a negative dimension");
        }
        return Shape.TryCreate(dims.ToArray()) ?? throw context.Error($"{name}={Format(dims)} has more than 2^48 elements (the most a tensor may have)");
    }

    public static string Format(IReadOnlyList<int> values) => "[" + string.Join(",", values) + "]";

    /// <summary>
    /// The output extent of a sliding window: ⌊(padded − window)/stride⌋ + 1 when the window fits the padded input.
    /// When it does not fit, an empty input gives an empty output (0) and a non-empty one is an error, reported by
    /// returning null so the caller can name its own attributes. The padded input is a tensor axis in all but name
    /// (the reference evaluation and the gradient index it with ints), so one longer than a dimension can hold is a
    /// type error, named by <paramref name="what"/>; every extent derived from it then fits too.
    /// </summary>
    public static int? WindowOutput(OpContext context, string what, long input, long padLow, long padHigh, long window, long stride)
    {
        long padded = MovementChecks.Dimension(context, input + padLow + padHigh, what);
        if (padded >= window)
        {
            return (int)((padded - window) / stride + 1);
        }
        return input == 0 ? 0 : null;
    }
}
