namespace GraphDL.IR.Ops;

/// <summary>Helpers for writing VJP and JVP rules with the ordinary builder.</summary>
public static class AutodiffRules
{
    /// <summary>
    /// Whether operand <paramref name="index"/> of <paramref name="node"/> can receive a gradient: it is a value
    /// (not an immediate literal) of a float dtype. Rules skip building what no one will read.
    /// </summary>
    public static bool NeedsGradient(Node node, int index) =>
        node.Operands[index] is not Literal && node.Operands[index].Type.DType.IsFloat()
        && (_active is null || _active.Contains(node.Operands[index]));

    [ThreadStatic]
    private static HashSet<Value>? _active;

    /// <summary>
    /// While a reverse sweep runs, the values that lead to the differentiated inputs: an operand outside this set
    /// needs no cotangent (e.g. the data input of the first matmul), so rules skip building it.
    /// </summary>
    public static IDisposable WithActiveValues(HashSet<Value> active)
    {
        var outer = _active;
        _active = active;
        return new Restore(() => _active = outer);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>A literal scalar splatted to <paramref name="type"/>, for constants inside elementwise rules.</summary>
    public static Literal Splat(this GraphBuilder builder, double value, TensorType type) =>
        builder.Literal(Scalar.FromDouble(DType.F64, value), type);

    /// <summary>A tensor of <paramref name="type"/> filled with <paramref name="value"/> (a <c>full</c> node).</summary>
    public static Node Filled(this GraphBuilder builder, TensorType type, double value) =>
        builder.Full(type.Shape.ToArray(), Scalar.FromDouble(DType.F64, value).CastTo(type.DType));

    /// <summary>Zeros of <paramref name="type"/>, for gradients that no path reaches.</summary>
    public static Node Zeros(this GraphBuilder builder, TensorType type) => builder.Filled(type, 0);
}
