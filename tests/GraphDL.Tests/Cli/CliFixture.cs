using GraphDL.Cli;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes;

namespace GraphDL.Tests.Cli;

/// <summary>
/// A temporary directory and the CLI entry point with captured streams, plus three passes registered for these
/// tests (names start with <c>test.</c>): <c>test.swap</c> swaps the operands of <c>mul</c> (changes the IR, keeps
/// the values), <c>test.noop</c> changes nothing, <c>test.bump</c> turns <c>add(..., 1.0)</c> into
/// <c>add(..., 2.0)</c> (a miscompile the sanitizer must catch).
/// </summary>
public abstract class CliFixture : IDisposable
{
    protected readonly string Dir = Directory.CreateTempSubdirectory("graphdl-cli-").FullName;

    static CliFixture() => RegisterTestPasses();

    internal static void RegisterTestPasses()
    {
        PassRegistry.Register("test.swap", () => TextPass("test.swap", "swap the operands of mul", t => t.Replace("mul(%x, %s)", "mul(%s, %x)", StringComparison.Ordinal)));
        PassRegistry.Register("test.noop", () => new LambdaPass("test.noop", "change nothing", g => g));
        PassRegistry.Register("test.bump", () => TextPass("test.bump", "add 2.0 where 1.0 was added (wrong on purpose)", t => t.Replace(", 1.0)", ", 2.0)", StringComparison.Ordinal)));
    }

    /// <summary>A pass that edits the printed form and parses it back.</summary>
    internal static IPass TextPass(string name, string description, Func<string, string> edit) =>
        new LambdaPass(name, description, g => GirParser.Parse(edit(g.ToString()), name));

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    protected string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    protected static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString().Replace("\r", ""), stderr.ToString().Replace("\r", ""));
    }

    /// <summary>File name → contents of a directory (not recursive), in name order.</summary>
    protected static IReadOnlyList<(string Name, string Text)> Files(string dir) =>
        Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToArray();

    protected const string Affine = """
        graph @affine(%x: f32[2,3] input, %s: f32[2,3] param) -> (y: f32[2,3]) {
            %a = mul(%x, %s) : f32[2,3]   loc("Affine.cs":7)
            %b = add(%a, 1.0) : f32[2,3]
            return %b
        }
        """;

    protected const string TwoGraphs = Affine + """


        graph @second(%a: f64[] input) -> (f64[]) {
          %0 = neg(%a) : f64[]
          return %0
        }
        """;

    protected static Graph Parse(string text) => GirParser.Parse(text);
}
