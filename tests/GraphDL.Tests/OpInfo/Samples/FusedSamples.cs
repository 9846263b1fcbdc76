using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// fused: a body run as one op. Each body is a short chain of other primitives, and each expectation is that chain
/// worked out by hand; the error samples break the body's interface (operand count and types, outputs, roles).
/// </summary>
public sealed class FusedSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;

    /// <summary>A verified body with inputs <c>%a, %b, ...</c> of the given types returning what <paramref name="emit"/> returns.</summary>
    private static GraphAttr Body(TensorType[] inputs, Func<GraphBuilder, Value[], Value> emit)
    {
        var builder = new GraphBuilder("body");
        var values = inputs.Select((t, i) => (Value)builder.AddInput(((char)('a' + i)).ToString(), t)).ToArray();
        builder.Output(emit(builder, values));
        return new GraphAttr(builder.Build());
    }

    private static TensorType F32(params int[] dims) => new(DType.F32, new Shape(dims));

    private static OpSample Fused(string name, Covers covers, GraphAttr body) => Sample("fused", name, covers).Attr("body", body);

    public override IEnumerable<OpSample> Samples()
    {
        yield return Fused("bias and relu", Covers.Negative,
                Body([F32(4), F32(4)], (b, x) => b.Max(b.Add(x[0], x[1]), b.Literal(Scalar.FromDouble(DType.F32, 0), x[0].Type))))
            .Attr("kernel", "k0")
            .In(T.F32([1, -2, 3, -4]), T.F32([0.5f, 0.5f, -4, 5]))
            .Expect(T.F32([1.5f, 0, 0, 1]));
        yield return Fused("rank 0 negate and double", Covers.Rank0 | Covers.Negative,
                Body([new TensorType(DType.F64, Shape.Scalar)], (b, x) => b.Mul(b.Neg(x[0]), b.Literal(Scalar.FromDouble(DType.F64, 2), x[0].Type))))
            .In(T.Scalar(2.5))
            .Expect(T.Scalar(-5.0));
        yield return Fused("broadcast a size-1 row", Covers.Size1 | Covers.Negative,
                Body([F32(2, 3), F32(1, 3)], (b, x) => b.Mul(x[0], b.BroadcastInDim(x[1], [2, 3], [0, 1]))))
            .In(T.F32([1, 2, 3, 4, 5, 6], 2, 3), T.F32([-1, 0, 2], 1, 3))
            .Expect(T.F32([-1, 0, 6, -4, 0, 12], 2, 3));
        yield return Fused("empty", Covers.Empty,
                Body([F32(0, 3)], (b, x) => b.Exp(b.Neg(x[0]))))
            .In(T.Empty(DType.F32, 0, 3))
            .Expect(T.Empty(DType.F32, 0, 3));
        yield return Fused("non-finite through add and mul", Covers.NonFinite | Covers.Negative,
                Body([F32(5)], (b, x) => b.Mul(b.Add(x[0], b.Literal(Scalar.FromDouble(DType.F32, 1), x[0].Type)), b.Literal(Scalar.FromDouble(DType.F32, -2), x[0].Type))))
            .In(T.F32([NaN, Inf, -Inf, -1, 0]))
            .Expect(T.F32([NaN, -Inf, Inf, -0f, -2]));
        yield return Fused("row sums of squares", Covers.Negative,
                Body([F32(2, 3)], (b, x) => b.ReduceSum(b.Mul(x[0], x[0]), [1])))
            .In(T.F32([1, -2, 3, -4, 5, 0], 2, 3))
            .Expect(T.F32([14, 41]));
        yield return Fused("no operands", Covers.None,
                Body([], (b, _) => b.Add(b.Iota([2, 2], 1, DType.I32), b.Literal(Scalar.FromInt64(DType.I32, 10), new TensorType(DType.I32, new Shape([2, 2]))))))
            .Expect(T.I32([10, 11, 10, 11], 2, 2));
        yield return Fused("operand type differs from body input", Covers.Error, Body([F32(4)], (b, x) => b.Neg(x[0])))
            .In(T.F32([1, 2, 3]))
            .Throws("operand 0 is f32[3], but body input %a is f32[4]");
        yield return Fused("more operands than body inputs", Covers.Error, Body([F32(2)], (b, x) => b.Neg(x[0])))
            .In(T.F32([1, 2]), T.F32([1, 2]))
            .Throws("its body takes 1 input, but the node has 2 operands");
        yield return Sample("fused", "body missing", Covers.Error)
            .In(T.F32([1, 2]))
            .Throws("fused needs attribute 'body'");
        yield return Fused("body with two outputs", Covers.Error, TwoOutputs())
            .In(T.F32([1, 2]))
            .Throws("must return exactly one value, it returns 2");
        yield return Fused("body input is a param", Covers.Error, ParamInput())
            .In(T.F32([1, 2]))
            .Throws("body input %w is a param");
    }

    private static GraphAttr TwoOutputs()
    {
        var builder = new GraphBuilder("body");
        var x = builder.AddInput("x", F32(2));
        builder.Output(builder.Neg(x));
        builder.Output(builder.Exp(x));
        return new GraphAttr(builder.Build());
    }

    private static GraphAttr ParamInput()
    {
        var builder = new GraphBuilder("body");
        var w = builder.AddInput("w", F32(2), InputRole.Param);
        builder.Output(builder.Neg(w));
        return new GraphAttr(builder.Build());
    }
}
