using System.Text.RegularExpressions;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Runtime;
using Xunit;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// The generated <c>Run</c> that runs a CPU program's whole schedule: one line per step in schedule order, and
/// correct across runs whose inputs and outputs live at new addresses each time.
/// </summary>
public partial class CompiledScheduleTests
{
    /// <summary>
    /// Unfused, so each primitive is a step: a reshape of the input (no code: it names the input's buffer) read by a
    /// kernel, an iota and its cast (hoisted: they read no input), an output (fresh each run) read by later kernels,
    /// a GEMM and a reduction.
    /// </summary>
    private const string Mixed = """
        graph @mixed(%x: f32[4,6] input, %w: f32[6,3] input) -> (f32[24], f32[4,3], f32[4]) {
          %0 = reshape(%x) {shape=[24]} : f32[24]
          %1 = exp(%0) : f32[24]
          %2 = iota() {shape=[24], axis=0, dtype=i64} : i64[24]
          %3 = cast(%2) {dtype=f32} : f32[24]
          %4 = mul(%1, %3) : f32[24]
          %5 = reshape(%4) {shape=[4,6]} : f32[4,6]
          %6 = matmul(%5, %w) : f32[4,3]
          %7 = add(%6, 1.0) : f32[4,3]
          %8 = reduce_sum(%x) {axes=[1], keepdims=false} : f32[4]
          %9 = mul(%8, %8) : f32[4]
          return %4, %7, %9
        }
        """;

    [GeneratedRegex(@"^\s+(?:(?<kernel>k\d+)\(slots \+ \d+\)|host\(context, (?<step>\d+)\)|// \(no code\)).*$", RegexOptions.Multiline)]
    private static partial Regex RunLine();

    /// <summary>The lines of the generated Run, as the step each one runs: a kernel's name, a step index, or "none".</summary>
    private static string[] RunLines(CpuProgram program)
    {
        int start = program.Source.IndexOf("public static unsafe void Run(", StringComparison.Ordinal);
        Assert.True(start >= 0, "no Run method in the generated source");
        var body = program.Source[start..program.Source.IndexOf("\n    }", start, StringComparison.Ordinal)];
        return RunLine().Matches(body).Select(m => m.Groups["kernel"].Success ? m.Groups["kernel"].Value
            : m.Groups["step"].Success ? m.Groups["step"].Value : "none").ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheGeneratedRunHasOneLinePerStepInScheduleOrder(bool fuse)
    {
        foreach (var text in new[] { Mixed, GraphDL.Tests.Passes.FusionGraphs.Mlp })
        {
            using var program = (CpuProgram)new CpuBackend(fuse).Compile(GirParser.Parse(text));
            var expected = program.Steps.Select((step, i) =>
                step.StartsWith("kernel ", StringComparison.Ordinal) ? step["kernel ".Length..step.IndexOf(':', StringComparison.Ordinal)]
                : step.StartsWith("reshape (shares", StringComparison.Ordinal) ? "none" : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected, RunLines(program));
        }
    }

    [Fact]
    public void TheMixedProgramHasEveryKindOfLine()
    {
        using var program = (CpuProgram)new CpuBackend(fuse: false).Compile(GirParser.Parse(Mixed));
        Assert.Contains(program.HoistedSteps, s => s.Contains("iota", StringComparison.Ordinal));
        var lines = RunLines(program);
        Assert.Contains(lines, l => l.StartsWith('k'));
        Assert.Contains("none", lines);
        Assert.Contains(lines, l => char.IsDigit(l[0]));
    }

    /// <summary>Each run binds new input and output storage: the slots that hold their addresses must follow.</summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void RunsWithNewInputsMatchTheInterpreter(bool fuse, bool exact)
    {
        using var program = (CpuProgram)new CpuBackend(fuse, exact).Compile(GirParser.Parse(Mixed));
        for (int run = 0; run < 4; run++)
        {
            var inputs = RandomInputs.For(program.Graph, run);
            var expected = ReferenceInterpreter.Run(program.Graph, inputs);
            var actual = program.Run(inputs);
            for (int o = 0; o < expected.Count; o++)
            {
                var (e, a) = (expected[o].AsSpan<float>().ToArray(), actual[o].AsSpan<float>().ToArray());
                for (int i = 0; i < e.Length; i++)
                {
                    // The GEMM accumulates in another order than the interpreter; exact mode has no GEMM.
                    double tolerance = exact ? 0 : 1e-4 * (1 + Math.Abs(e[i]));
                    Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"run {run}, output {o}[{i}]: {a[i]} vs {e[i]}");
                }
            }
        }
    }

    /// <summary>The generated Run called back into the runtime; once disposed, nothing holds the generated code.</summary>
    [Fact]
    public void AProgramThatRanUnloadsWhenDisposed()
    {
        WeakReference context = RunAndDispose();
        for (int i = 0; i < 10 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(context.IsAlive);

        static WeakReference RunAndDispose()
        {
            using var program = (CpuProgram)new CpuBackend().Compile(GirParser.Parse(Mixed));
            for (int run = 0; run < 2; run++)
            {
                program.Run(RandomInputs.For(program.Graph, run));
            }
            return program.LoadContext!;
        }
    }

    [Fact]
    public void ADisposedProgramDoesNotRun()
    {
        var program = (CpuProgram)new CpuBackend().Compile(GirParser.Parse(Mixed));
        var inputs = RandomInputs.For(program.Graph, 0);
        program.Run(inputs);
        program.Dispose();
        program.Dispose();
        Assert.Throws<ObjectDisposedException>(() => program.Run(inputs));
    }
}
