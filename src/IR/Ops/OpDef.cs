namespace GraphDL.IR;

/// <summary>
/// The definition of one primitive op, in one file under <c>src/IR/Ops/</c>: its name and traits, the operands and
/// attributes it takes, its type rule, its reference evaluation (the semantics every backend must match), its cost,
/// and the slots for its autodiff rules. Ops are stateless singletons exposed as <c>static Instance</c>.
/// </summary>
public abstract class OpDef
{
    /// <summary>The name in the text form, e.g. <c>add</c>, <c>broadcast_in_dim</c>.</summary>
    public abstract string Name { get; }

    public abstract OpTraits Traits { get; }

    /// <summary>Fewest operands accepted.</summary>
    public abstract int MinOperands { get; }

    /// <summary>Most operands accepted (<see cref="int.MaxValue"/> for variadic ops such as concat).</summary>
    public virtual int MaxOperands => MinOperands;

    /// <summary>The attributes this op accepts, in printing order.</summary>
    public virtual IReadOnlyList<AttrSpec> AttributeSpecs => [];

    public bool Has(OpTraits traits) => (Traits & traits) == traits;

    /// <summary>
    /// Computes the result type from operand types and attributes, or throws <see cref="ShapeException"/> via
    /// <see cref="OpContext.Error"/> naming what is wrong. Must not depend on operand values.
    /// </summary>
    public abstract TensorType InferType(OpContext context);

    /// <summary>
    /// Runs <see cref="InferType"/>, turning a shape the rule could not even construct (a dimension out of range,
    /// too many elements, size arithmetic that overflows) into the same <see cref="ShapeException"/> as any other type
    /// error, so no attribute value crashes the verifier. Callers use this.
    /// </summary>
    public TensorType Infer(OpContext context)
    {
        try
        {
            return InferType(context);
        }
        catch (ArgumentException e)
        {
            throw context.Error(e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message);
        }
        catch (OverflowException)
        {
            throw context.Error("a size computed from its operands and attributes overflows (an attribute or dimension is far too large)");
        }
    }

    /// <summary>The reference semantics: plain loops, obviously correct, deterministic.</summary>
    public abstract HostTensor Evaluate(EvalContext context);

    /// <summary>Estimated work when the node runs alone. Default: stream operands and result, one op per element.</summary>
    public virtual OpCost Cost(OpContext context) => OpCost.Streaming(context, 1);

    /// <summary>Whether <see cref="Vjp"/> is implemented (autodiff checks this before differentiating).</summary>
    public virtual bool HasVjp => false;

    /// <summary>Whether <see cref="Jvp"/> is implemented.</summary>
    public virtual bool HasJvp => false;

    /// <summary>
    /// Reverse mode: given the cotangent of <paramref name="node"/>'s result, emits with <paramref name="builder"/> the
    /// cotangent of each operand (null where none flows, e.g. integer operands).
    /// </summary>
    public virtual IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent) =>
        throw new MissingRuleException(this, "VJP", node.Loc);

    /// <summary>Forward mode: given operand tangents (null for zero), emits the tangent of the result (null for zero).</summary>
    public virtual Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents) =>
        throw new MissingRuleException(this, "JVP", node.Loc);

    /// <summary>
    /// This op's C# code for the CPU kernels (<see cref="CodeSnippets"/>; none for ops outside loop kernels). In a
    /// template, <c>{0}</c>, <c>{1}</c>, <c>{2}</c> are the operands (names or literals, never longer expressions),
    /// <c>{T}</c> the C# element type of the result (for <see cref="SnippetForm.Vector"/> code, of the lanes: float
    /// or double, a bool being a lane mask of it), and <c>{V}</c> the vector class (<c>Vector512</c>, ...). The code
    /// may name <c>Math</c>, <c>ReferenceMath</c>, <c>VectorMath</c> and <c>ScalarExtrema</c>. It must stay valid when
    /// every operand is a literal: integer arithmetic is written <c>unchecked</c>, since C# checks constant
    /// expressions. A later PTX renderer gets a <c>Ptx</c> property of its own beside this one.
    /// </summary>
    public virtual CodeSnippets CSharp => CodeSnippets.None;

    public override string ToString() => Name;
}
