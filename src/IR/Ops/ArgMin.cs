namespace GraphDL.IR.Ops;

/// <summary>
/// Index (i64) of the least element along <c>axis</c>, dropped from the result or, with <c>keepdims</c>, kept as
/// size 1. Ties go to the first index; NaN counts as less than everything (the first NaN wins, as in NumPy). The
/// axis must not have size 0.
/// <code>%1 = argmin(%0) {axis=0, keepdims=true} : i64[1,3]</code>
/// </summary>
public sealed class ArgMin : ArgReductionOp
{
    public static readonly ArgMin Instance = new();

    public override string Name => "argmin";

    protected override bool IsBetter(double candidate, double best) => candidate < best;

    protected override bool IsBetter(long candidate, long best) => candidate < best;
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>argmin(x) {axis=..., keepdims=...}</c>.</summary>
    public static Node ArgMin(this GraphBuilder builder, Value x, int axis, bool keepdims = false) =>
        builder.Emit(Ops.ArgMin.Instance, [x], AttributeMap.Of(("axis", new IntAttr(axis)), ("keepdims", new BoolAttr(keepdims))));
}
