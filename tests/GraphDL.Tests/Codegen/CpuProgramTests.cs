using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Runtime;
using Xunit;

namespace GraphDL.Tests.Codegen;

/// <summary>How the CPU backend turns a fusion plan into steps: kernel counts and the GEMM special cases.</summary>
public class CpuProgramTests
{
    private static CpuProgram Compile(string text, bool fuse = true) => (CpuProgram)new CpuBackend(fuse).Compile(GirParser.Parse(text));

    private static void AssertCloseToInterpreter(CpuProgram program, int seed = 1)
    {
        var inputs = RandomInputs.For(program.Graph, seed);
        var expected = ReferenceInterpreter.Run(program.Graph, inputs);
        var actual = program.Run(inputs);
        for (int o = 0; o < expected.Count; o++)
        {
            var (e, a) = (expected[o].AsSpan<float>().ToArray(), actual[o].AsSpan<float>().ToArray());
            for (int i = 0; i < e.Length; i++)
            {
                Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4 * (1 + Math.Abs(e[i])), $"output {o}[{i}]: {a[i]} vs {e[i]}");
            }
        }
    }

    [Fact]
    public void MlpForwardIsOneStepPerMatmulWithItsEpilogue()
    {
        using var program = Compile(GraphDL.Tests.Passes.FusionGraphs.Mlp);
        Assert.Equal(["gemm + tiled epilogue k0: broadcast_in_dim, add, max", "gemm + tiled epilogue k1: broadcast_in_dim, add"], program.Steps);
        AssertCloseToInterpreter(program);
    }

    [Fact]
    public void AMatmulReadThroughATransposeIsComputedTransposed()
    {
        using var program = Compile("""
            graph @g(%a: f32[5,7] input, %b: f32[5,3] input) -> (f32[3,7]) {
              %0 = permute(%a) {perm=[1,0]} : f32[7,5]
              %1 = matmul(%0, %b) : f32[7,3]
              %2 = permute(%1) {perm=[1,0]} : f32[3,7]
              return %2
            }
            """);
        Assert.Equal(["gemm (transposed)"], program.Steps);
        AssertCloseToInterpreter(program);
    }

    [Fact]
    public void UnfusedProgramsRunOneStepPerPrimitive()
    {
        using var program = Compile("""
            graph @g(%x: f32[3,17] input, %b: f32[17] input) -> (f32[3,17]) {
              %0 = broadcast_in_dim(%b) {shape=[3,17], dims=[1]} : f32[3,17]
              %1 = add(%x, %0) : f32[3,17]
              %2 = max(%1, 0.0) : f32[3,17]
              return %2
            }
            """, fuse: false);
        Assert.Equal(3, program.Steps.Count);
        AssertCloseToInterpreter(program);
    }

    [Fact]
    public void StepsThatReadNoInputRunOnceWhenTheProgramIsBuilt()
    {
        using var program = Compile("""
            graph @g(%x: f32[4,6] input) -> (f32[6]) {
              %0 = iota() {shape=[24], axis=0, dtype=i64} : i64[24]
              %1 = reshape(%0) {shape=[4,6]} : i64[4,6]
              %2 = cast(%1) {dtype=f32} : f32[4,6]
              %3 = exp(%x) : f32[4,6]
              %4 = reduce_sum(%3) {axes=[0], keepdims=false} : f32[6]
              %6 = permute(%2) {perm=[1,0]} : f32[6,4]
              %7 = matmul(%6, %3) : f32[6,6]
              %8 = reduce_sum(%7) {axes=[1], keepdims=false} : f32[6]
              %9 = add(%4, %8) : f32[6]
              return %9
            }
            """);
        Assert.Contains(program.HoistedSteps, s => s.Contains("iota", StringComparison.Ordinal));
        Assert.DoesNotContain(program.Steps, s => s.Contains("iota", StringComparison.Ordinal));
        for (int run = 0; run < 2; run++)
        {
            AssertCloseToInterpreter(program, seed: run);
        }
    }

    [Fact]
    public void AReshapeBetweenKernelsSharesItsOperandsBuffer()
    {
        using var program = Compile("""
            graph @g(%x: f32[6,4] input) -> (f32[4,6]) {
              %0 = permute(%x) {perm=[1,0]} : f32[4,6]
              %1 = reshape(%0) {shape=[24]} : f32[24]
              %2 = slice(%1) {start=[1], stop=[24], step=[2]} : f32[12]
              %3 = pad(%2) {lo=[0], hi=[12], value=0.0} : f32[24]
              %4 = reshape(%3) {shape=[4,6]} : f32[4,6]
              return %4
            }
            """);
        Assert.Contains(program.Steps, s => s.StartsWith("reshape (shares", StringComparison.Ordinal));
        for (int run = 0; run < 2; run++)
        {
            AssertCloseToInterpreter(program, seed: run);
        }
    }
}

public class CpuProgramBufferTests
{
    /// <summary>A kernel step's result that is both a graph output (fresh storage each run) and read by a later kernel.</summary>
    [Fact]
    public void AnOutputComputedByAKernelStepIsWhatLaterKernelsRead()
    {
        using var program = (CpuProgram)new CpuBackend().Compile(GirParser.Parse("""
            graph @g(%x: f32[3,5] input) -> (f32[5,3], f32[5,3]) {
              %0 = permute(%x) {perm=[1,0]} : f32[5,3]
              %1 = mul(%0, 2.0) : f32[5,3]
              return %0, %1
            }
            """));
        Assert.Contains(program.Steps, s => s.StartsWith("permute", StringComparison.Ordinal));
        for (int run = 0; run < 2; run++)
        {
            var inputs = RandomInputs.For(program.Graph, run);
            var expected = ReferenceInterpreter.Run(program.Graph, inputs);
            var actual = program.Run(inputs);
            Assert.True(actual[0].BitEquals(expected[0]) && actual[1].BitEquals(expected[1]), $"run {run}");
        }
    }
}
