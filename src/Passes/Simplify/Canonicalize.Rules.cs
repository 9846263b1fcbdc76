using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Passes.Simplify;

/// <summary>
/// The rules of <see cref="Canonicalize"/>, tried in order. Why each keeps every result bitwise: the reference
/// evaluation computes floats in double and rounds once to the dtype, so a rule is exact when the double operation
/// returns its operand unchanged for every operand value, ±0, ±inf and NaN included (arithmetic passes a quiet NaN
/// operand through with its bits); integers wrap, and have no NaN or signed zero. A NaN stays a NaN, with one caveat
/// on its payload, as in IEEE 754 and LLVM: the reference's arithmetic quiets a signalling NaN and, for bf16, drops
/// the payload, while an identity passes the operand's NaN on as it is. No rule changes the sign of a NaN, and no
/// GraphDL op produces a signalling NaN. <c>SimplifyPassTests</c> checks the arithmetic rules on every f16 and bf16
/// bit pattern.
/// </summary>
public sealed partial class Canonicalize
{
    private delegate object? Rule(Canonicalize pass, Candidate node);

    /// <summary>In order; each returns a value, a new form, or null. Rules on an op's name are facts of that op alone.</summary>
    private static readonly Rule[] Rules =
    [
        (p, n) => ElementwiseOfSplats(n),
        (p, n) => MovementOfSplat(n),
        (p, n) => SplatOperandToLiteral(n),
        (p, n) => AddNegativeZero(n),
        (p, n) => SubtractPositiveZero(n),
        (p, n) => ZeroMinus(n),
        (p, n) => MultiplyByOne(n),
        (p, n) => DivideByOne(n),
        (p, n) => p._fastMath || !n.Type.DType.IsFloat() ? MultiplyByZero(n) : null,
        (p, n) => p._fastMath || !n.Type.DType.IsFloat() ? SubtractSelf(n) : null,
        (p, n) => p._fastMath ? AddOrSubtractAnyZero(n) : null,
        (p, n) => Involution(n),
        (p, n) => ConstantCondition(n),
        (p, n) => SameBranches(n),
        (p, n) => CastToSameType(n),
        (p, n) => RepeatedIdempotent(n),
        (p, n) => IdentityMovement(n),
        (p, n) => PermuteOfPermute(n),
        (p, n) => ReshapeOfReshape(n),
        (p, n) => BroadcastOfBroadcast(n),
        (p, n) => SliceOfSlice(n),
        (p, n) => ReductionOverUnitAxes(n),
    ];

    /// <summary>
    /// An <see cref="OpTraits.Elementwise"/> op whose operands are all splats (literals or <c>full</c> nodes) → a
    /// <c>full</c> of the reference evaluation on one element (the op's folder, as MLIR's canonicalizer runs folders):
    /// an elementwise result element depends only on the operand elements at its position, so it is the same everywhere.
    /// </summary>
    private static Candidate? ElementwiseOfSplats(Candidate n)
    {
        if (!n.Op.Has(OpTraits.Elementwise) || n.Op.Has(OpTraits.Random) || n.Operands.Length == 0)
        {
            return null;
        }
        var scalars = new Scalar[n.Operands.Length];
        for (int i = 0; i < scalars.Length; i++)
        {
            if (Splat(n[i]) is not { } s)
            {
                return null;
            }
            scalars[i] = s;
        }
        return Candidate.Filled(n.Type, ConstantFolding.EvaluateOnSplats(n.Op, scalars, n.Attributes, n.Type, SourceLoc.Unknown));
    }

    /// <summary>
    /// A <see cref="OpTraits.Movement"/> op whose operands are all <c>full</c> nodes of one value, and whose scalar
    /// attributes (the fill of pad) hold that value too → a <c>full</c> of its result shape: a movement op only copies
    /// operand elements and writes its fill.
    /// </summary>
    private static Candidate? MovementOfSplat(Candidate n)
    {
        if (!n.Op.Has(OpTraits.Movement) || n.Operands.Length == 0 || Splat(n[0]) is not { } value)
        {
            return null;
        }
        bool allSame = n.Operands.All(o => o is Node { Op: Full } && Splat(o) is { } s && s.Equals(value))
            && n.Attributes.All(a => a.Value is not ScalarAttr fill || fill.Value.Equals(value));
        return allSame ? Candidate.Filled(n.Type, value) : null;
    }

    /// <summary>
    /// An operand of an <see cref="OpTraits.Elementwise"/> op that is a <c>full</c> node becomes the equal literal
    /// (a literal is defined as that splat), so the arithmetic rules below see it and the full may die. Not when
    /// every operand would then be a literal: that node is for <c>fold</c>.
    /// </summary>
    private static Candidate? SplatOperandToLiteral(Candidate n)
    {
        if (!n.Op.Has(OpTraits.Elementwise) || !n.Operands.Any(o => o is Node { Op: Full }))
        {
            return null;
        }
        var operands = n.Operands.Select(o => o is Node { Op: Full } full ? new Literal(full.Attributes.Scalar("value"), o.Type) : o).ToArray();
        return operands.All(o => o is Literal) ? null : new Candidate(n.Op, operands, n.Attributes, n.Type);
    }

    /// <summary>x + (−0.0) → x and (−0.0) + x → x: exact for every x (+0 + −0 is +0). Not x + 0.0, which turns −0 into +0. Integers: x + 0.</summary>
    private static Value? AddNegativeZero(Candidate n) =>
        n.Op != Add.Instance ? null
        : IsZero(n[1], negative: true) ? n[0]
        : IsZero(n[0], negative: true) ? n[1]
        : null;

    /// <summary>x − (+0.0) → x: x − (+0) is x + (−0), exact. Not x − (−0.0), which turns −0 into +0. Integers: x − 0.</summary>
    private static Value? SubtractPositiveZero(Candidate n) =>
        n.Op == Sub.Instance && IsZero(n[1], negative: false) ? n[0] : null;

    /// <summary>
    /// Integers: 0 − x → neg(x), wrapping alike. Not on floats: (−0.0) − x equals −x for every number, but for a NaN x
    /// the subtraction returns x's NaN while neg flips its sign bit; (+0.0) − x is +0.0 at x = +0.0, where −x is −0.0.
    /// </summary>
    private static Candidate? ZeroMinus(Candidate n) =>
        n.Op == Sub.Instance && n.Type.DType.IsInteger() && n[1] is not Literal && IsZero(n[0], negative: false) ? Candidate.Of(Neg.Instance, [n[1]]) : null;

    /// <summary>x · 1 → x and 1 · x → x: exact for every x, ±0, ±inf and NaN included.</summary>
    private static Value? MultiplyByOne(Candidate n) =>
        n.Op != Mul.Instance ? null
        : IsSplatOf(n[1], 1) ? n[0]
        : IsSplatOf(n[0], 1) ? n[1]
        : null;

    /// <summary>x / 1 → x: exact for every x; integer division by 1 truncates nothing.</summary>
    private static Value? DivideByOne(Candidate n) => n.Op == Div.Instance && IsSplatOf(n[1], 1) ? n[0] : null;

    /// <summary>
    /// x · 0 → 0. Exact on integers (always applied). Floats only with fastMath: NaN · 0 and inf · 0 are NaN, and
    /// a negative x gives −0 (the result is the zero literal as written).
    /// </summary>
    private static Literal? MultiplyByZero(Candidate n)
    {
        if (n.Op != Mul.Instance)
        {
            return null;
        }
        return Splat(n[1]) is { } b && IsZeroScalar(b) ? new Literal(b, n.Type)
            : Splat(n[0]) is { } a && IsZeroScalar(a) ? new Literal(a, n.Type)
            : null;
    }

    /// <summary>x − x → 0. Exact on integers (always applied); floats only with fastMath (inf − inf and NaN − NaN are NaN).</summary>
    private static Literal? SubtractSelf(Candidate n) =>
        n.Op == Sub.Instance && SameValue(n[0], n[1]) ? new Literal(Scalar.FromDouble(n.Type.DType, 0), n.Type) : null;

    /// <summary>fastMath only: x + 0.0 → x, 0.0 + x → x and x − (−0.0) → x, wrong only for x = −0 (the result would be +0).</summary>
    private static Value? AddOrSubtractAnyZero(Candidate n)
    {
        if (n.Op == Add.Instance)
        {
            return Splat(n[1]) is { } b && IsZeroScalar(b) ? n[0] : Splat(n[0]) is { } a && IsZeroScalar(a) ? n[1] : null;
        }
        return n.Op == Sub.Instance && Splat(n[1]) is { } z && IsZeroScalar(z) ? n[0] : null;
    }

    /// <summary>
    /// op(op(x)) → x for an <see cref="OpTraits.Involution"/>: neg flips the sign bit (integers: wraps) and twice
    /// restores it; not complements every bit twice.
    /// </summary>
    private static Value? Involution(Candidate n) =>
        n.Op.Has(OpTraits.Involution) && n[0] is Node inner && inner.Op == n.Op ? inner.Operands[0] : null;

    /// <summary>where(c, a, b) with c all true → a, all false → b (a literal branch becomes a full node).</summary>
    private static Value? ConstantCondition(Candidate n) =>
        n.Op == Where.Instance && Splat(n[0]) is { } condition ? (condition.AsBool() ? n[1] : n[2]) : null;

    /// <summary>where(c, a, a) → a: both branches are the same value (or bitwise-equal literals).</summary>
    private static Value? SameBranches(Candidate n) => n.Op == Where.Instance && SameValue(n[1], n[2]) ? n[1] : null;

    /// <summary>cast(x) to x's own dtype → x: the conversion rounds a value already of that dtype, which keeps it.</summary>
    private static Value? CastToSameType(Candidate n) => n.Op == Cast.Instance && n[0].Type == n.Type ? n[0] : null;

    /// <summary>
    /// op(op(x)) → op(x) for an <see cref="OpTraits.Idempotent"/> op: one stop_gradient stops as much as two; abs,
    /// floor, ceil and sign of a value they produced return it unchanged (exact, so rounding to the dtype keeps it).
    /// </summary>
    private static Value? RepeatedIdempotent(Candidate n) =>
        n.Op.Has(OpTraits.Idempotent) && n[0] is Node inner && inner.Op == n.Op ? n[0] : null;

    /// <summary>
    /// A one-operand <see cref="OpTraits.Movement"/> node whose result has its operand's type copies it unchanged,
    /// except permute, which may reorder axes of equal size (it is an identity only for perm [0,1,...]). Per op:
    /// reshape to the same shape; broadcast_in_dim with equal rank (dims strictly increasing forces [0,1,...]) and
    /// equal sizes; slice keeping every element (the count ⌈(stop − start)/step⌉ equals the size only for start 0,
    /// stop = size and, where the size exceeds 1, step 1); pad with lo = hi = 0; concat of one operand.
    /// </summary>
    private static Value? IdentityMovement(Candidate n)
    {
        if (!n.Op.Has(OpTraits.Movement) || n.Operands.Length != 1 || n[0].Type != n.Type)
        {
            return null;
        }
        if (n.Op == Permute.Instance && !IsIdentity(n.Attributes.Ints("perm")))
        {
            return null;
        }
        return n[0];
    }

    /// <summary>permute(permute(x, p), q) → permute(x, r) with r[i] = p[q[i]]: result axis i is inner axis q[i], which is x axis p[q[i]].</summary>
    private static Candidate? PermuteOfPermute(Candidate n)
    {
        if (n.Op != Permute.Instance || n[0] is not Node { Op: Permute } inner)
        {
            return null;
        }
        var p = inner.Attributes.Ints("perm");
        var q = n.Attributes.Ints("perm");
        return Candidate.Of(Permute.Instance, [inner.Operands[0]], ("perm", new IntListAttr(q.Select(axis => p[axis]))));
    }

    /// <summary>reshape(reshape(x)) → reshape(x): a reshape keeps the row-major order, so only the last shape matters.</summary>
    private static Candidate? ReshapeOfReshape(Candidate n) =>
        n.Op == Reshape.Instance && n[0] is Node { Op: Reshape } inner
            ? Candidate.Of(Reshape.Instance, [inner.Operands[0]], ("shape", new IntListAttr(n.Type.Shape)))
            : null;

    /// <summary>
    /// broadcast_in_dim(broadcast_in_dim(x, s1, d1), s2, d2) → broadcast_in_dim(x, s2, c) with c[i] = d2[d1[i]]: axis i of
    /// x lands on inner axis d1[i] and then on outer axis d2[d1[i]]; an axis of x of size 1 repeats either way, and one
    /// of full size keeps its index through both.
    /// </summary>
    private static Candidate? BroadcastOfBroadcast(Candidate n)
    {
        if (n.Op != BroadcastInDim.Instance || n[0] is not Node { Op: BroadcastInDim } inner)
        {
            return null;
        }
        var d1 = inner.Attributes.Ints("dims");
        var d2 = n.Attributes.Ints("dims");
        return Candidate.Of(BroadcastInDim.Instance, [inner.Operands[0]],
            ("shape", new IntListAttr(n.Type.Shape)), ("dims", new IntListAttr(d1.Select(axis => d2[axis]))));
    }

    /// <summary>
    /// slice(slice(x, s1, _, t1), s2, _, t2) → slice(x, s1 + s2·t1, stop, t1·t2): element i of the outer slice is inner
    /// element s2 + i·t2, which is x element s1 + (s2 + i·t2)·t1. The stop is one past the last element read (or the
    /// start when the result is empty), so it stays within x.
    /// </summary>
    private static Candidate? SliceOfSlice(Candidate n)
    {
        if (n.Op != Slice.Instance || n[0] is not Node { Op: Slice } inner)
        {
            return null;
        }
        int rank = n.Type.Rank;
        int[] start = new int[rank], stop = new int[rank], step = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int s1 = inner.Attributes.Ints("start")[d], t1 = inner.Attributes.Ints("step")[d];
            int s2 = n.Attributes.Ints("start")[d], t2 = n.Attributes.Ints("step")[d];
            long first = s1 + (long)s2 * t1, stride = (long)t1 * t2;
            int count = n.Type.Shape[d];
            long end = count == 0 ? first : first + (count - 1) * stride + 1;
            if (stride > int.MaxValue || first > int.MaxValue || end > int.MaxValue)
            {
                return null;
            }
            (start[d], stop[d], step[d]) = ((int)first, (int)end, (int)stride);
        }
        return Candidate.Of(Slice.Instance, [inner.Operands[0]],
            ("start", new IntListAttr(start)), ("stop", new IntListAttr(stop)), ("step", new IntListAttr(step)));
    }

    /// <summary>
    /// reduce_sum/max/min over axes that all have size 1 (or over none) → reshape: each result element combines exactly
    /// one operand element, and a reduction starts from its first element rather than from an identity (so −0.0
    /// stays −0.0 under reduce_sum).
    /// </summary>
    private static Candidate? ReductionOverUnitAxes(Candidate n)
    {
        if (n.Op is not ReductionOp || n.Attributes.Ints("axes").Any(axis => n[0].Type.Shape[axis] != 1))
        {
            return null;
        }
        return Candidate.Of(Reshape.Instance, [n[0]], ("shape", new IntListAttr(n.Type.Shape)));
    }

    /// <summary>The splat value of a literal or a <c>full</c> node, else null.</summary>
    private static Scalar? Splat(Value value) => value switch
    {
        Literal literal => literal.Scalar,
        Node { Op: Full } full => full.Attributes.Scalar("value"),
        _ => null,
    };

    /// <summary>A splat of zero: for floats of the given sign (−0.0 or +0.0, told apart by their bits), for integers any 0.</summary>
    private static bool IsZero(Value value, bool negative) =>
        Splat(value) is { } s && IsZeroScalar(s) && (!s.DType.IsFloat() || double.IsNegative(s.AsDouble()) == negative);

    private static bool IsZeroScalar(Scalar s) => s.DType.IsNumeric() && s.AsDouble() == 0;

    private static bool IsSplatOf(Value value, double number) =>
        Splat(value) is { } s && s.DType.IsNumeric() && s.Equals(Scalar.FromDouble(s.DType, number));

    /// <summary>The same value: one SSA value, or two literals of equal type and bits.</summary>
    private static bool SameValue(Value a, Value b) =>
        ReferenceEquals(a, b) || (a is Literal x && b is Literal y && x.Type == y.Type && x.Scalar.Equals(y.Scalar));

    private static bool IsIdentity(IReadOnlyList<int> perm) => perm.Select((axis, i) => axis == i).All(same => same);
}
