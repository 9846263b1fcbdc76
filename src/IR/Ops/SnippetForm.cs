namespace GraphDL.IR;

/// <summary>What a <see cref="CodeSnippet"/> computes on, and how exactly (see <see cref="CodeSnippets"/>).</summary>
public enum SnippetForm
{
    /// <summary>
    /// Scalar code whose value is exactly the op's reference result in the result dtype: IEEE + − × ÷ and √ of two
    /// floats (exactly rounded in f32 as the double result rounded once is), comparisons, integer arithmetic that
    /// wraps, selects and casts. A renderer writes it as it is.
    /// </summary>
    Scalar,

    /// <summary>
    /// Scalar code computed in double, as the reference evaluation is (<c>ApplyFloat</c>): a renderer rounds its value
    /// once to the result dtype. Float operands may arrive in f32: the template must widen them where f32 arithmetic
    /// would differ (passing them to a double function, as <c>Math.Exp</c>, widens them; one IEEE operation on two
    /// f32 values is exactly rounded either way).
    /// </summary>
    ScalarInDouble,

    /// <summary>
    /// Vector code over lanes of one float dtype, exact per lane (the same bits as <see cref="Scalar"/>); a bool is a
    /// lane mask of that float type (all bits set for true).
    /// </summary>
    Vector,

    /// <summary>
    /// Fast-math code for f32 only, written once for vector lanes and scalars alike (so an element's result does not
    /// depend on whether it falls in a vector or the scalar tail), within the error bound the renderer documents.
    /// </summary>
    Fast,
}
