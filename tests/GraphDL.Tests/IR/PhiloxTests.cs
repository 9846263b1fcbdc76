using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;

namespace GraphDL.Tests.IR;

/// <summary>
/// Philox4x32-10 against the Random123 known-answer vectors, the seed/offset → key/counter mapping, and the
/// statistics of the Random ops' outputs run through the reference interpreter.
/// </summary>
public class PhiloxTests
{
    [Theory]
    [InlineData(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u,
        0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
        0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
        0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint x0, uint x1, uint x2, uint x3) =>
        Assert.Equal((x0, x1, x2, x3), Philox.Block((c0, c1, c2, c3), k0, k1));

    [Fact]
    public void SeedIsTheKeyAndOffsetPlusBlockIsTheCounter()
    {
        // seed = k1·2^32 + k0, counter = (low, high 32 bits of offset + block, 0, 0).
        long seed = unchecked((long)0xa4093822_299f31d0UL);
        var expected = Philox.Block((0x00000005u, 0x00000001u, 0, 0), 0x299f31d0u, 0xa4093822u);
        Assert.Equal([expected.X0, expected.X1, expected.X2, expected.X3], Philox.StreamBlock(seed, (1L << 32) + 2, 3));
        // Seed 0, offset 0 is the first known answer.
        Assert.Equal([0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u], Philox.StreamBlock(0, 0, 0));
    }

    [Fact]
    public void OffsetPlusBlockWrapsModulo2To64()
    {
        Assert.Equal(Philox.StreamBlock(9, 0, 0), Philox.StreamBlock(9, -1, 1));
        Assert.Equal(Philox.StreamBlock(9, long.MinValue, 0), Philox.StreamBlock(9, long.MaxValue, 1));
        // Words of seed −1, block −1 = counter (0xffffffff, 0xffffffff, 0, 0), key (0xffffffff, 0xffffffff), from an
        // independent Python implementation checked against the three known answers.
        Assert.Equal([0x4d18d7d2u, 0x430ac65au, 0xbd2fa22au, 0x0afae10du], Philox.StreamBlock(-1, -1, 0));
    }

    [Fact]
    public void UniformBitsAreTheTopBitsOfAWord()
    {
        Assert.Equal(0x6627e8 / 16777216.0, Philox.UniformFromWord(0x6627e8d5, 24));
        Assert.Equal(0xffffffff / 4294967296.0, Philox.UniformFromWord(0xffffffff, 32));
        Assert.Equal(0.0, Philox.UniformFromWord(0x001fffff, 11));
        Assert.True(Philox.UniformFromWord(uint.MaxValue, 8) < 1.0);
    }

    private static HostTensor Run(Func<GraphBuilder, Value, Value, Node> emit, long seed, long offset)
    {
        var builder = new GraphBuilder("rng");
        var s = builder.AddInput("seed", new TensorType(DType.I64));
        var o = builder.AddInput("offset", new TensorType(DType.I64));
        builder.Output(emit(builder, s, o));
        return ReferenceInterpreter.Run(builder.Build(), [HostTensor.FromArray([seed], []), HostTensor.FromArray([offset], [])])[0];
    }

    [Fact]
    public void UniformStatistics()
    {
        var values = Run((b, s, o) => b.RandomUniform(s, o, [10000], DType.F32), 1234, 0).ToDoubleArray();
        Assert.All(values, v => Assert.InRange(v, 0.0, Math.BitDecrement(1.0)));
        double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
        // Standard errors: 0.0029 for the mean, 0.0008 for the variance (1/12).
        Assert.InRange(mean, 0.5 - 0.015, 0.5 + 0.015);
        Assert.InRange(variance, 1.0 / 12 - 0.005, 1.0 / 12 + 0.005);
    }

    [Fact]
    public void NormalStatistics()
    {
        var values = Run((b, s, o) => b.RandomNormal(s, o, [10000], DType.F64), 42, 7).ToDoubleArray();
        double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
        double withinOneSigma = values.Count(v => Math.Abs(v) < 1) / (double)values.Length;
        double skew = values.Select(v => Math.Pow(v - mean, 3)).Average();
        // Standard errors: 0.01 (mean), 0.014 (variance), 0.0047 (P(|z| < 1) = 0.6827), 0.039 (third moment).
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(variance, 0.93, 1.07);
        Assert.InRange(withinOneSigma, 0.6827 - 0.025, 0.6827 + 0.025);
        Assert.InRange(skew, -0.16, 0.16);
        Assert.All(values, v => Assert.InRange(v, -6.67, 6.67));
    }

    [Fact]
    public void BernoulliFrequency()
    {
        var values = Run((b, s, o) => b.Bernoulli(s, o, [10000], 0.3), -3, 100).ToBoolArray();
        double frequency = values.Count(v => v) / (double)values.Length;
        Assert.InRange(frequency, 0.3 - 0.023, 0.3 + 0.023); // standard error 0.0046
    }

    [Fact]
    public void AdvancingTheOffsetContinuesTheStream()
    {
        // Offsets count blocks: 4 elements of uniform and bernoulli, 2 of normal.
        var uniform = Run((b, s, o) => b.RandomUniform(s, o, [12], DType.F64), 5, 10).ToDoubleArray();
        Assert.Equal(uniform[8..], Run((b, s, o) => b.RandomUniform(s, o, [4], DType.F64), 5, 12).ToDoubleArray());
        var normal = Run((b, s, o) => b.RandomNormal(s, o, [6], DType.F64), 5, 10).ToDoubleArray();
        Assert.Equal(normal[4..], Run((b, s, o) => b.RandomNormal(s, o, [2], DType.F64), 5, 12).ToDoubleArray());
        var mask = Run((b, s, o) => b.Bernoulli(s, o, [8], 0.5), 5, 10).ToBoolArray();
        Assert.Equal(mask[4..], Run((b, s, o) => b.Bernoulli(s, o, [4], 0.5), 5, 11).ToBoolArray());
    }

    [Fact]
    public void SameOperandsSameValuesOtherSeedOtherValues()
    {
        var a = Run((b, s, o) => b.RandomUniform(s, o, [64], DType.F32), 1, 0);
        Assert.True(a.BitEquals(Run((b, s, o) => b.RandomUniform(s, o, [64], DType.F32), 1, 0)));
        Assert.False(a.BitEquals(Run((b, s, o) => b.RandomUniform(s, o, [64], DType.F32), 2, 0)));
        Assert.False(a.BitEquals(Run((b, s, o) => b.RandomUniform(s, o, [64], DType.F32), 1, 1)));
    }
}
