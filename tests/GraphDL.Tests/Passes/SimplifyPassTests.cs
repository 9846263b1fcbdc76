using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes;
using GraphDL.Runtime;

namespace GraphDL.Tests.Passes;

/// <summary>Properties of the simplify passes that text tests cannot show: exactness on every value, purity, registration.</summary>
public class SimplifyPassTests
{
    private static readonly string[] BuiltinPasses = ["canonicalize", "canonicalize-fast-math", "fold", "cse", "dce", "decompose"];

    /// <summary>
    /// Runs both graphs on one input tensor and asserts every output is bitwise the same; with <paramref name="nanPayloads"/>,
    /// two NaNs of the same sign also pass (arithmetic in the reference may quiet a NaN or drop its payload, an identity does not).
    /// </summary>
    private static void AssertBitwiseSame(Graph before, Graph after, HostTensor input, bool nanPayloads = false)
    {
        var expected = ReferenceInterpreter.Run(before, [input]);
        var actual = ReferenceInterpreter.Run(after, [input]);
        for (int o = 0; o < expected.Count; o++)
        {
            for (long i = 0; i < expected[o].ElementCount; i++)
            {
                double x = expected[o].GetDouble(i), y = actual[o].GetDouble(i);
                bool sameNan = nanPayloads && double.IsNaN(x) && double.IsNaN(y) && double.IsNegative(x) == double.IsNegative(y);
                Assert.True(sameNan || expected[o].GetScalar(i).Equals(actual[o].GetScalar(i)),
                    $"output {o}, element {i}: {expected[o].GetScalar(i)} before, {actual[o].GetScalar(i)} after");
            }
        }
    }

    [Theory]
    [InlineData(DType.F16)]
    [InlineData(DType.BF16)]
    public void SquaresDecomposeExactlyOnEveryHalfPrecisionValue(DType dtype)
    {
        var type = dtype.Name();
        var graph = GirParser.Parse($$"""
            graph @square(%x: {{type}}[65536] input) -> ({{type}}[65536]) {
              %0 = pow(%x, 2.0) : {{type}}[65536]
              return %0
            }
            """);
        var decomposed = PassFileTests.Pipeline("decompose").Run(graph);
        Assert.Contains("mul(%x, %x)", decomposed.ToString());
        var every = Enumerable.Range(0, 65536).Select(bits => (ushort)bits).ToArray();
        var input = dtype == DType.F16
            ? HostTensor.FromArray(every.Select(BitConverter.UInt16BitsToHalf).ToArray(), 65536)
            : HostTensor.FromArray(every.Select(bits => new BFloat16(bits)).ToArray(), 65536);
        AssertBitwiseSame(graph, decomposed, input);
    }

    [Fact]
    public void SquaresDecomposeExactlyOnSampledAndSpecialSinglePrecisionValues()
    {
        var graph = GirParser.Parse("""
            graph @square(%x: f32[65536] input) -> (f32[65536]) {
              %0 = pow(%x, 2.0) : f32[65536]
              return %0
            }
            """);
        var random = new Random(5);
        var values = Enumerable.Range(0, 65536).Select(_ => BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31))).ToArray();
        float[] specials = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1f, -1f, 1.5e19f, 1e-23f];
        specials.CopyTo(values, 0);
        AssertBitwiseSame(graph, PassFileTests.Pipeline("decompose").Run(graph), HostTensor.FromArray(values, 65536));
    }

    [Fact]
    public void ComparisonsDecomposeExactlyOnSpecialValues()
    {
        double[] specials = [0, -0.0, 1, -1, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e-45];
        var a = specials.SelectMany(x => specials.Select(_ => x)).ToArray();
        var b = specials.SelectMany(_ => specials).ToArray();
        var graph = GirParser.Parse("""
            graph @compare(%ab: f32[2,64] input) -> (bool[64], bool[64]) {
              %0 = slice(%ab) {start=[0,0], stop=[1,64], step=[1,1]} : f32[1,64]
              %1 = reshape(%0) {shape=[64]} : f32[64]
              %2 = slice(%ab) {start=[1,0], stop=[2,64], step=[1,1]} : f32[1,64]
              %3 = reshape(%2) {shape=[64]} : f32[64]
              %4 = gt(%1, %3) : bool[64]
              %5 = ge(%1, %3) : bool[64]
              return %4, %5
            }
            """);
        var input = HostTensor.FromDoubles(DType.F32, new Shape(2, 64), a.Concat(b).ToArray());
        var decomposed = PassFileTests.Pipeline("decompose").Run(graph);
        Assert.DoesNotContain("gt(", decomposed.ToString());
        AssertBitwiseSame(graph, decomposed, input);
    }

    [Fact]
    public void FoldLeavesAFailingEvaluationForRunTime()
    {
        var graph = GirParser.Parse("""
            graph @bad_index() -> (f32[1]) {
              %0 = full() {shape=[3], value=1.0} : f32[3]
              %1 = full() {shape=[1], value=7} : i64[1]
              %2 = gather(%0, %1) {axis=0} : f32[1]
              return %2
            }
            """);
        var folded = PassFileTests.Pipeline("fold").Run(graph);
        Assert.Contains("gather(%0, %1)", folded.ToString());
        Assert.Throws<EvaluationException>(() => ReferenceInterpreter.Run(folded, Array.Empty<HostTensor>()));
    }

    [Fact]
    public void PassesReturnANewGraphAndLeaveTheirInputAlone()
    {
        var graph = TrainStepSimplifyTests.MlpTrainStep();
        var text = graph.ToString();
        foreach (var name in BuiltinPasses)
        {
            var result = PassRegistry.Create(name).Run(graph);
            Assert.NotSame(graph, result);
            Assert.Equal(text, graph.ToString());
            Assert.True(result.Nodes.All(n => !graph.Nodes.Contains(n)), $"{name} reused a node of its input");
        }
    }

    [Fact]
    public void TheRegistryKnowsEveryPassAndTheSimplifyPipeline()
    {
        Assert.Subset(PassRegistry.Names.ToHashSet(), BuiltinPasses.ToHashSet());
        foreach (var name in BuiltinPasses)
        {
            var pass = PassRegistry.Create(name);
            Assert.Equal(name, pass.Name);
            Assert.False(string.IsNullOrWhiteSpace(pass.Description));
        }
        Assert.Equal(["canonicalize", "fold", "cse", "dce"], PassRegistry.Parse("simplify").Select(p => p.Name));
    }

    [Fact]
    public void TheValueCheckOfPassFilesSeesSignedZerosThatRandomInputsMiss()
    {
        // What a wrong "x + 0.0 → x" would produce: equal on every normal-distributed input, not on x = -0.0.
        var before = GirParser.Parse("""
            graph @g(%x: f32[24] input) -> (f32[24]) {
              %0 = add(%x, 0.0) : f32[24]
              return %0
            }
            """);
        var after = GirParser.Parse("""
            graph @g(%x: f32[24] input) -> (f32[24]) {
              return %x
            }
            """);
        PassFileTests.AssertSameResults(before, after, exact: false, "values only, random inputs only");
        var e = Assert.ThrowsAny<Exception>(() => PassFileTests.AssertSameResults(before, after, exact: true, "bitwise, with special values"));
        Assert.Contains("output out0 changed", e.Message);
    }

    [Theory]
    [InlineData(DType.F16)]
    [InlineData(DType.BF16)]
    public void ArithmeticIdentitiesAreExactOnEveryHalfPrecisionValue(DType dtype)
    {
        var t = dtype.Name() + "[65536]";
        var graph = GirParser.Parse($$"""
            graph @identities(%x: {{t}} input) -> ({{t}}, {{t}}, {{t}}, {{t}}, {{t}}, {{t}}) {
              %0 = add(%x, -0.0) : {{t}}
              %1 = sub(%x, 0.0) : {{t}}
              %2 = mul(1.0, %x) : {{t}}
              %3 = div(%x, 1.0) : {{t}}
              %4 = neg(%x) : {{t}}
              %5 = neg(%4) : {{t}}
              %6 = max(%x, %x) : {{t}}
              %7 = where(true, %x, %6) : {{t}}
              return %0, %1, %2, %3, %5, %7
            }
            """);
        var simplified = PassFileTests.Pipeline("canonicalize,dce").Run(graph);
        Assert.Empty(simplified.Nodes);
        var every = Enumerable.Range(0, 65536).Select(bits => (ushort)bits).ToArray();
        var input = dtype == DType.F16
            ? HostTensor.FromArray(every.Select(BitConverter.UInt16BitsToHalf).ToArray(), 65536)
            : HostTensor.FromArray(every.Select(bits => new BFloat16(bits)).ToArray(), 65536);
        AssertBitwiseSame(graph, simplified, input, nanPayloads: true);
    }

    /// <summary>The rule of <see cref="OpTraits.Idempotent"/> ops, op(op(x)) → op(x), on every half-precision value.</summary>
    [Theory]
    [InlineData(DType.F16)]
    [InlineData(DType.BF16)]
    public void IdempotentOpsAreExactOnEveryHalfPrecisionValue(DType dtype)
    {
        var t = dtype.Name() + "[65536]";
        var graph = GirParser.Parse($$"""
            graph @idempotents(%x: {{t}} input) -> ({{t}}, {{t}}, {{t}}, {{t}}) {
              %0 = abs(%x) : {{t}}
              %1 = abs(%0) : {{t}}
              %2 = floor(%x) : {{t}}
              %3 = floor(%2) : {{t}}
              %4 = ceil(%x) : {{t}}
              %5 = ceil(%4) : {{t}}
              %6 = sign(%x) : {{t}}
              %7 = sign(%6) : {{t}}
              return %1, %3, %5, %7
            }
            """);
        var simplified = PassFileTests.Pipeline("canonicalize,dce").Run(graph);
        Assert.Equal(4, simplified.Nodes.Count);
        var every = Enumerable.Range(0, 65536).Select(bits => (ushort)bits).ToArray();
        var input = dtype == DType.F16
            ? HostTensor.FromArray(every.Select(BitConverter.UInt16BitsToHalf).ToArray(), 65536)
            : HostTensor.FromArray(every.Select(bits => new BFloat16(bits)).ToArray(), 65536);
        AssertBitwiseSame(graph, simplified, input, nanPayloads: true);
    }
}
