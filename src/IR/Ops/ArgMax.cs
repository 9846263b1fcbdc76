namespace GraphDL.IR.Ops;

/// <summary>
/// Index (i64) of the greatest element along <c>axis</c>, dropped from the result or, with <c>keepdims</c>, kept as
/// size 1. Ties go to the first index; NaN counts as greater than everything (the first NaN wins, as in NumPy). The
/// axis must not have size 0.
/// <code>%1 = argmax(%0) {axis=1, keepdims=false} : i64[4]</code>
/// </summary>
public sealed class ArgMax : ArgReductionOp
{
    public static readonly ArgMax Instance = new();

    public override string Name => "argmax";

    protected override bool IsBetter(double candidate, double best) => candidate > best;

    protected override bool IsBetter(long candidate, long best) => candidate > best;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>argmax(x) {axis=..., keepdims=...}</c>.</summary>
    public static Node ArgMax(this GraphBuilder builder, Value x, int axis, bool keepdims = false) =>
        builder.Emit(Ops.ArgMax.Instance, [x], AttributeMap.Of(("axis", new IntAttr(axis)), ("keepdims", new BoolAttr(keepdims))));
}
