namespace GraphDL.Tests.Cli;

/// <summary><c>graphdl compile --emit memory</c>: the CPU program's arena plan, its first lines read by scripts.</summary>
public sealed class CliMemoryTests : CliFixture
{
    private const string Chain = """
        graph @chain(%x: f32[16,16] input) -> (f32[16,16]) {
          %0 = exp(%x) : f32[16,16]          loc("Chain.cs":1)
          %1 = sin(%0) : f32[16,16]          loc("Chain.cs":2)
          %2 = reduce_sum(%1) {axes=[1]} : f32[16]
          %3 = broadcast_in_dim(%2) {shape=[16,16], dims=[0]} : f32[16,16]
          %4 = mul(%3, %0) : f32[16,16]      loc("Chain.cs":4)
          return %4
        }
        """;

    [Fact]
    public void TheMemoryReportStartsWithTheFourFiguresThenThePeakLiveSet()
    {
        var (code, stdout, stderr) = Cli("compile", Write("chain.gir", Chain), "--emit", "memory");
        Assert.Equal((0, ""), (code, stderr));
        var lines = stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("@chain", lines[0]);
        Assert.Matches(@"^arena bytes: \d+$", lines[1]);
        Assert.Matches(@"^lower bound bytes: \d+$", lines[2]);
        Assert.Matches(@"^no-reuse bytes: \d+$", lines[3]);
        Assert.Equal("saved activation bytes: 0", lines[4]);
        Assert.Contains(lines, l => l.StartsWith("live at the peak, step ", StringComparison.Ordinal));
    }
}
