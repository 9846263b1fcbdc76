using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>and, or, xor, not: logical on bool, bitwise (two's complement) on integers. Expectations are by hand.</summary>
public sealed class LogicalSamples : OpSampleSet
{
    private const string NoFloats = "takes only bool and integer operands, which have no NaN or infinity";

    public override IEnumerable<(string Op, Covers Categories, string Reason)> Exemptions =>
    [
        ("and", Covers.NonFinite, NoFloats),
        ("or", Covers.NonFinite, NoFloats),
        ("xor", Covers.NonFinite, NoFloats),
        ("not", Covers.NonFinite, NoFloats),
    ];

    /// <summary>One operand pair and the and, or, xor of it.</summary>
    private sealed record Case(string Name, Covers Covers, HostTensor A, HostTensor B, HostTensor And, HostTensor Or, HostTensor Xor);

    private static IEnumerable<Case> Cases()
    {
        yield return new("bool truth table", Covers.None,
            T.Bool([true, true, false, false]), T.Bool([true, false, true, false]),
            T.Bool([true, false, false, false]), T.Bool([true, true, true, false]), T.Bool([false, true, true, false]));
        // −1 is all ones; −8 is ...11111000; INT_MIN is the sign bit alone.
        yield return new("i32 bitwise", Covers.Negative,
            T.I32([-1, -8, 0x0F0F, int.MinValue, 0x5555]), T.I32([0x1234, 7, 0x00FF, -1, 0x2AAA]),
            T.I32([0x1234, 0, 0x000F, int.MinValue, 0]),
            T.I32([-1, -1, 0x0FFF, -1, 0x7FFF]),
            T.I32([~0x1234, -1, 0x0FF0, int.MaxValue, 0x7FFF]));
        // Bits above 2^53 and the sign bit must survive (no detour through double).
        yield return new("i64 high bits", Covers.Negative,
            T.I64([long.MinValue | 5, (1L << 53) + 1, -1]), T.I64([long.MinValue | 3, 1L << 53, long.MaxValue]),
            T.I64([long.MinValue | 1, 1L << 53, long.MaxValue]),
            T.I64([long.MinValue | 7, (1L << 53) + 1, -1]),
            T.I64([6, 1, long.MinValue]));
        yield return new("rank 0", Covers.Rank0,
            T.Scalar(true), T.Scalar(true),
            T.Scalar(true), T.Scalar(true), T.Scalar(false));
        yield return new("size-1 dims", Covers.Size1 | Covers.Negative,
            T.I32([-2, 3], 1, 2, 1), T.I32([1, -4], 1, 2, 1),
            T.I32([0, 0], 1, 2, 1), T.I32([-1, -1], 1, 2, 1), T.I32([-1, -1], 1, 2, 1));
        yield return new("empty", Covers.Empty,
            T.Empty(DType.Bool, 2, 0), T.Empty(DType.Bool, 2, 0),
            T.Empty(DType.Bool, 2, 0), T.Empty(DType.Bool, 2, 0), T.Empty(DType.Bool, 2, 0));
    }

    public override IEnumerable<OpSample> Samples()
    {
        foreach (var c in Cases())
        {
            yield return Sample("and", c.Name, c.Covers).In(c.A, c.B).Expect(c.And);
            yield return Sample("or", c.Name, c.Covers).In(c.A, c.B).Expect(c.Or);
            yield return Sample("xor", c.Name, c.Covers).In(c.A, c.B).Expect(c.Xor);
        }
        foreach (var op in new[] { "and", "or", "xor" })
        {
            yield return Sample(op, "f32 rejected", Covers.Error)
                .In(T.F32([1, 0]), T.F32([1, 1]))
                .Throws("operands must be bool or an integer type, got f32[2] and f32[2]");
            yield return Sample(op, "shapes differ", Covers.Error)
                .In(T.Bool([true, false]), T.Bool([true, false, true]))
                .Throws("operand shapes differ: bool[2] and bool[3]");
            yield return Sample(op, "bool and i32", Covers.Error)
                .In(T.Bool([true, false]), T.I32([1, 0]))
                .Throws("operand dtypes differ: bool[2] and i32[2]");
        }

        yield return Sample("not", "bool", Covers.None)
            .In(T.Bool([true, false]))
            .Expect(T.Bool([false, true]));
        yield return Sample("not", "i32 complement", Covers.Negative)
            .In(T.I32([0, -1, 5, int.MinValue, int.MaxValue]))
            .Expect(T.I32([-1, 0, -6, int.MaxValue, int.MinValue]));
        yield return Sample("not", "i64 complement", Covers.Negative)
            .In(T.I64([0, long.MinValue, (1L << 53) + 1]))
            .Expect(T.I64([-1, long.MaxValue, -(1L << 53) - 2]));
        yield return Sample("not", "rank 0", Covers.Rank0)
            .In(T.Scalar(true))
            .Expect(T.Scalar(false));
        yield return Sample("not", "size-1 dims", Covers.Size1 | Covers.Negative)
            .In(T.I32([-8, 7], 1, 2))
            .Expect(T.I32([7, -8], 1, 2));
        yield return Sample("not", "empty", Covers.Empty)
            .In(T.Empty(DType.Bool, 0, 3))
            .Expect(T.Empty(DType.Bool, 0, 3));
        yield return Sample("not", "f32 rejected", Covers.Error)
            .In(T.F32([1, 0]))
            .Throws("operand must be bool or an integer type, got f32[2]");
        yield return Sample("not", "two operands", Covers.Error)
            .In(T.Bool([true]), T.Bool([true]))
            .Throws("takes 1 operand, got 2");
    }
}
