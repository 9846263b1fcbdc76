using GraphDL.IR;

namespace GraphDL.Tests.OpInfo;

/// <summary>The comparison every OpInfo expectation goes through must itself tell different values apart.</summary>
public class ExpectationComparisonTests
{
    [Fact]
    public void I64NeighboursAbove2To53Differ()
    {
        // Through double both sides would be 2^63 and compare equal.
        var actual = T.I64([long.MaxValue - 2, 1L << 62]);
        Assert.NotNull(actual.FirstMismatch(T.I64([long.MaxValue, 1L << 62]), rtol: 0, atol: 0));
        Assert.NotNull(actual.FirstMismatch(T.I64([long.MaxValue - 2, (1L << 62) + 1]), rtol: 0, atol: 0));
        Assert.Null(actual.FirstMismatch(T.I64([long.MaxValue - 2, 1L << 62]), rtol: 0, atol: 0));
    }

    [Fact]
    public void IntegerToleranceStillApplies()
    {
        Assert.Null(T.I32([100, -7]).FirstMismatch(T.I32([101, -7]), rtol: 0, atol: 1));
        Assert.NotNull(T.I32([100, -7]).FirstMismatch(T.I32([102, -7]), rtol: 0, atol: 1));
    }

    [Fact]
    public void FloatsStillCompareByValue() =>
        Assert.Null(T.F32([1.5f, float.NaN]).FirstMismatch(T.F64([1.5, double.NaN]), equalNan: true));
}
