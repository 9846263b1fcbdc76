using GraphDL.Cli;

namespace GraphDL.Tests.Cli;

/// <summary>The <c>graphdl</c> CLI through its entry point, with captured streams.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphdl-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private const string Good = """
        graph @affine(%x: f32[2,3] input, %s: f32[2,3] param) -> (y: f32[2,3]) {
            %a = mul(%x, %s) : f32[2,3]   loc("Affine.cs":7)
            %b = add(%a, 1.0) : f32[2,3]
            return %b
        }
        """;

    [Fact]
    public void CheckReportsOk()
    {
        var (code, stdout, stderr) = Cli("check", Write("good.gir", Good));
        Assert.Equal((0, ""), (code, stderr));
        Assert.Equal("good.gir: ok (1 graph, 2 nodes)\n", stdout.Replace("\r", ""));
    }

    [Fact]
    public void PrintGivesTheCanonicalForm()
    {
        var (code, stdout, _) = Cli("print", Write("good.gir", Good));
        Assert.Equal(0, code);
        Assert.Contains("  %0 = mul(%x, %s) : f32[2,3]", stdout, StringComparison.Ordinal);
        Assert.Contains("  %1 = add(%0, 1.0) : f32[2,3]\n", stdout, StringComparison.Ordinal);
        Assert.Contains("loc(\"Affine.cs\":7)", stdout, StringComparison.Ordinal);
        // printing the printed form changes nothing
        var (_, again, _) = Cli("print", Write("printed.gir", stdout));
        Assert.Equal(stdout, again);
    }

    [Fact]
    public void RunIsSeededAndDeterministic()
    {
        var path = Write("good.gir", Good);
        var (code, first, stderr) = Cli("run", path, "--seed", "7");
        Assert.Equal((0, ""), (code, stderr));
        Assert.Matches(@"^y: f32\[2,3\]  sum=-?[0-9.e-]+  first=\[(-?[0-9.e-]+, ){5}-?[0-9.e-]+\]\n$", first.Replace("\r", ""));
        Assert.Equal(first, Cli("run", path, "--seed", "7").Out);
        Assert.NotEqual(first, Cli("run", path, "--seed", "8").Out);
    }

    [Fact]
    public void RunPrintsSumAndFirstValues()
    {
        const string text = """
            graph @count(%x: f32[10] input) -> (n: f32[10], b: bool[10]) {
              %0 = mul(%x, 0.0) : f32[10]
              %1 = add(%0, 1.5) : f32[10]
              %2 = gt(%1, 0.0) : bool[10]
              return %1, %2
            }
            """;
        var (code, stdout, _) = Cli("run", Write("count.gir", text));
        Assert.Equal(0, code);
        Assert.Equal(
            "n: f32[10]  sum=15.0  first=[1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, ...]\n" +
            "b: bool[10]  sum=10.0  first=[true, true, true, true, true, true, true, true, ...]\n",
            stdout.Replace("\r", ""));
    }

    [Fact]
    public void ParseErrorsGiveFileLineColumnAndExitCodeOne()
    {
        var path = Write("bad.gir", Good.Replace("mul(%x, %s)", "mul(%x, %t)"));
        var (code, stdout, stderr) = Cli("check", path);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("bad.gir:2:18: error: %t is not defined", stderr, StringComparison.Ordinal);
        Assert.Contains("^", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("frobnicate", "x.gir")]
    [InlineData("run", "x.gir", "--seed", "many")]
    public void UsageErrorsExitTwo(params string[] args) => Assert.Equal(2, Cli(args).Code);

    [Fact]
    public void MissingFileExitsTwo()
    {
        var (code, _, stderr) = Cli("check", Path.Combine(_dir, "absent.gir"));
        Assert.Equal(2, code);
        Assert.Contains("cannot read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpListsTheCommands()
    {
        var (code, stdout, _) = Cli("--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "check", "print", "run" })
        {
            Assert.Contains(command, stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>A writer that fails: an exception no command expects, as a compiler invariant that fails would be.</summary>
    private sealed class FailingWriter : StringWriter
    {
        public override void Write(string? value) => throw new InvalidOperationException("the writer broke");

        public override void Write(char value) => throw new InvalidOperationException("the writer broke");
    }

    [Fact]
    public void AnInternalErrorIsReportedInOneLineWithExit70NotACrash()
    {
        var stderr = new StringWriter();
        int code = CliApp.Run(["check", Write("good.gir", Good)], new FailingWriter(), stderr);
        var lines = stderr.ToString().Replace("\r", "").Split('\n');
        Assert.Equal(CliApp.InternalError, code);
        Assert.Equal("graphdl: internal error: InvalidOperationException: the writer broke", lines[0]);
        Assert.StartsWith("graphdl: this is a bug in GraphDL", lines[1], StringComparison.Ordinal);
        Assert.Contains("at GraphDL.Cli.CliApp", stderr.ToString(), StringComparison.Ordinal);
    }
}
