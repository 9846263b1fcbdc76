using System.Xml.Linq;
using GraphDL.Cli;
using GraphDL.IR.Text;
using GraphDL.Runtime;

namespace GraphDL.Tests.Cli;

/// <summary><c>graphdl compile --emit memory|memory-svg</c>: the CPU program's arena plan, its first lines read by scripts, and its picture.</summary>
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

    /// <summary>Three GEMMs: the first two results live in the arena.</summary>
    private const string Gemms = """
        graph @gemms(%x: f32[16,16] input, %w: f32[16,16] param) -> (f32[16,16]) {
          %0 = matmul(%x, %w) : f32[16,16]
          %1 = matmul(%0, %w) : f32[16,16]
          %2 = matmul(%1, %0) : f32[16,16]
          return %2
        }
        """;

    [Fact]
    public void MemorySvgWritesThePictureOfTheProgramsPlanToTheOutputFile()
    {
        var target = Path.Combine(Dir, "gemms.svg");
        var (code, stdout, stderr) = Cli("compile", Write("gemms.gir", Gemms), "--emit", "memory-svg", "-o", target);
        Assert.Equal((0, "", ""), (code, stdout, stderr));
        var svg = XDocument.Load(target);
        using var program = (CpuProgram)CpuBackend.Instance.Compile(Parse(Gemms));
        Assert.NotEmpty(program.Memory.Buffers);
        Assert.Equal(program.Memory.Buffers.Count, svg.Descendants(XName.Get("rect", "http://www.w3.org/2000/svg")).Count(r => (string?)r.Attribute("class") == "buffer"));
        // Written through a temporary file and a rename: nothing else is left in the directory.
        Assert.Equal(["gemms.gir", "gemms.svg"], Directory.GetFiles(Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MemorySvgDrawsOneGraph()
    {
        var module = Write("two.gir", Chain + "\n\n" + Chain.Replace("@chain", "@again", StringComparison.Ordinal));
        var (code, _, stderr) = Cli("compile", module, "--emit", "memory-svg");
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains("--emit memory-svg draws one graph and two.gir has 2; pick one with --graph NAME", stderr, StringComparison.Ordinal);
        var (picked, stdout, _) = Cli("compile", module, "--emit", "memory-svg", "--graph", "again");
        Assert.Equal(0, picked);
        Assert.Contains("@again: ", XDocument.Parse(stdout).Root!.Value, StringComparison.Ordinal);
    }
}
