using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Passes.Simplify;

/// <summary>
/// <c>canonicalize</c>: local algebraic simplification that never changes a result, bit for bit — NaN, infinities
/// and the sign of zero included; a NaN stays a NaN of the same sign, its payload aside (the rules and why each is
/// exact are in <c>Canonicalize.Rules.cs</c>). Each node
/// is rewritten, in order, by the first rule that matches it, then again, until none matches; rules look only at
/// a node's operands, which are already in final form, so one sweep reaches the fixed point, and the pass sweeps
/// again (at most <see cref="MaxSweeps"/> times) until a sweep changes nothing. A node rewritten to another value
/// disappears; nodes that lose their last use stay for <c>dce</c>. New nodes keep the rewritten node's location.
/// <para>
/// With <c>fastMath</c> (the pass <c>canonicalize-fast-math</c>) it also applies rules that are exact for finite
/// values but not for NaN, infinities or −0.0: <c>x * 0 → 0</c>, <c>x − x → 0</c>, <c>x + 0.0 → x</c>,
/// <c>x − (−0.0) → x</c>. On integers the first two are exact and always applied.
/// </para>
/// <code>
/// %0 = neg(%x) : f32[4]
/// %1 = neg(%0) : f32[4]          // becomes %x
/// %2 = mul(%1, 1.0) : f32[4]     // becomes %x
/// </code>
/// </summary>
public sealed partial class Canonicalize : IPass
{
    /// <summary>The most sweeps over the graph; one normally suffices and a second confirms.</summary>
    public const int MaxSweeps = 16;

    private readonly bool _fastMath;

    /// <param name="fastMath">Also apply the rules that are exact only for finite values (see the class summary); off by default.</param>
    public Canonicalize(bool fastMath = false) => _fastMath = fastMath;

    public string Name => _fastMath ? "canonicalize-fast-math" : "canonicalize";

    public string Description => _fastMath
        ? "algebraic simplification, including rules exact only for finite values (x*0, x-x, x+0.0)"
        : "algebraic simplification that keeps every result bit for bit";

    public Graph Run(Graph graph)
    {
        var current = graph;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var next = Sweep(current, out bool changed);
            if (!changed)
            {
                return next;
            }
            current = next;
        }
        return current;
    }

    private Graph Sweep(Graph graph, out bool changed)
    {
        changed = false;
        var rewrite = new GraphRewrite(graph);
        foreach (var node in graph.Nodes)
        {
            var candidate = new Candidate(node.Op, rewrite.Operands(node), node.Attributes, node.Type);
            var result = Simplify(candidate, out bool fired);
            changed |= fired;
            rewrite.Map(node, result is Candidate form ? rewrite.Emit(node.Loc, form.Op, form.Operands, form.Attributes) : (Value)result);
        }
        return rewrite.Finish();
    }

    /// <summary>Applies rules until none matches: the result is an existing value or the form to emit.</summary>
    private object Simplify(Candidate candidate, out bool fired)
    {
        fired = false;
        for (int step = 0; step < 64; step++)
        {
            object? rewritten = null;
            foreach (var rule in Rules)
            {
                rewritten = rule(this, candidate);
                if (rewritten is not null)
                {
                    break;
                }
            }
            if (rewritten is null)
            {
                return candidate;
            }
            fired = true;
            if (rewritten is Value value)
            {
                if (value.Type != candidate.Type)
                {
                    throw new InvalidOperationException($"canonicalize: a rule replaced {candidate.Op.Name} : {candidate.Type} by a value of type {value.Type}");
                }
                return value is Literal literal ? Candidate.Filled(literal.Type, literal.Scalar) : value;
            }
            candidate = (Candidate)rewritten;
        }
        return candidate;
    }

    /// <summary>
    /// A node not yet emitted: op, operands (values of the new graph, or literals), normalized attributes and its type.
    /// Rules return a value (the node becomes it), another candidate (the node becomes that), or null (no match).
    /// </summary>
    internal sealed class Candidate
    {
        public Candidate(OpDef op, Value[] operands, AttributeMap attributes, TensorType type)
        {
            Op = op;
            Operands = operands;
            Attributes = attributes;
            Type = type;
        }

        public OpDef Op { get; }

        public Value[] Operands { get; }

        public AttributeMap Attributes { get; }

        public TensorType Type { get; }

        public Value this[int index] => Operands[index];

        /// <summary>A candidate with its attributes normalized and its type inferred (a rule that builds a bad form throws here).</summary>
        public static Candidate Of(OpDef op, Value[] operands, params (string Name, Attr Value)[] attributes)
        {
            var normalized = AttributeSchema.Normalize(op, AttributeMap.Of(attributes), out var problems);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"canonicalize built a bad {op.Name}: {problems[0].Message}");
            }
            var type = op.Infer(new OpContext(op, operands.Select(o => o.Type).ToArray(), normalized, SourceLoc.Unknown));
            return new Candidate(op, operands, normalized, type);
        }

        /// <summary>A <c>full</c> node: a literal that has to become a value of its own (an output, or a non-elementwise operand).</summary>
        public static Candidate Filled(TensorType type, Scalar value) =>
            Of(Full.Instance, [], ("shape", new IntListAttr(type.Shape)), ("value", new ScalarAttr(value)));
    }
}
