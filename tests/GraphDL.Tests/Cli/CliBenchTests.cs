namespace GraphDL.Tests.Cli;

/// <summary><c>graphdl compile --emit fusion|csharp</c> and <c>graphdl bench</c>: what the CPU backend builds and how fast it runs.</summary>
public sealed class CliBenchTests : CliFixture
{
    private const string Softmax = """
        graph @softmax(%x: f32[4,8] input) -> (f32[4,8]) {
          %0 = reduce_max(%x) {axes=[1], keepdims=false} : f32[4]
          %1 = broadcast_in_dim(%0) {shape=[4,8], dims=[0]} : f32[4,8]
          %2 = sub(%x, %1) : f32[4,8]
          %3 = exp(%2) : f32[4,8]
          %4 = reduce_sum(%3) {axes=[1], keepdims=false} : f32[4]
          %5 = broadcast_in_dim(%4) {shape=[4,8], dims=[0]} : f32[4,8]
          %6 = div(%3, %5) : f32[4,8]
          return %6
        }
        """;

    [Fact]
    public void TheFusionReportShowsSoftmaxAsOneKernel()
    {
        var (code, stdout, stderr) = Cli("compile", Write("softmax.gir", Softmax), "--emit", "fusion");
        Assert.Equal((0, ""), (code, stderr));
        Assert.StartsWith("@softmax\nkernels: 1  nodes: 7  ", stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("k0 = %6 div : f32[4,8]  fuses %0 reduce_max, %1 broadcast_in_dim, %2 sub, %3 exp, %4 reduce_sum", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGeneratedCodeIsOneMethodPerKernel()
    {
        var (code, stdout, _) = Cli("compile", Write("softmax.gir", Softmax), "--emit", "csharp");
        Assert.Equal(0, code);
        Assert.Single(stdout.Split("public static unsafe void k0(", StringSplitOptions.None).Skip(1));
        Assert.Contains("reduce_max : f32[4]", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchPrintsAKernelTableAndTheFusedToUnfusedRatio()
    {
        var (code, stdout, stderr) = Cli("bench", Write("softmax.gir", Softmax), "--compare-unfused", "-n", "3");
        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains("STREAM copy: ", stdout, StringComparison.Ordinal);
        Assert.Contains("@softmax: 7 nodes in 1 kernels", stdout, StringComparison.Ordinal);
        Assert.Matches(@"  0  kernel k0 .*%  reduce_max, broadcast_in_dim, sub, exp, reduce_sum, broadcast_in_dim, div\n", stdout.ReplaceLineEndings("\n"));
        Assert.Matches(@"whole program \(unfused, 7 kernels\): .*; fused is [0-9.]+x faster", stdout);
        Assert.Equal(2, Cli("bench", Write("softmax.gir", Softmax), "-n", "0").Code);
    }
}
