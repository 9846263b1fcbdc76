using System.Xml.Linq;
using GraphDL.Cli;
using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Tests.Nn;

namespace GraphDL.Tests.Cli;

/// <summary>
/// <c>graphdl bench MODEL --remat-sweep</c>: one table row per policy (a budget the remat pass cannot meet is a row
/// with its error, and the sweep goes on), and the curve as SVG.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public sealed class CliRematSweepTests : CliFixture
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>A 6-layer, 8-wide MLP training step (batch 64, SGD) as a .gir: activations outweigh the parameters.</summary>
    private string DeepMlpStep()
    {
        Init.ManualSeed(0);
        var layers = Enumerable.Range(0, 6).SelectMany(_ => new Module[] { new Linear(8, 8), new ReLU() }).Append(new Linear(8, 10)).ToArray();
        var x = HostTensor.Zeros(new TensorType(DType.F32, 64, 8));
        var y = HostTensor.Zeros(new TensorType(DType.I64, 64));
        using var step = Compiler.TrainStep(new Sequential(layers), (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Sgd(0.1), x, y,
            new CompileOptions { Backend = Backend.Reference });
        return Write("deep.gir", GirPrinter.Print(step.Graph));
    }

    [Fact]
    public void TheSweepPrintsARowPerPolicyAndWritesTheCurve()
    {
        var svgPath = Path.Combine(Dir, "curves", "curve.svg");   // --svg creates the folder
        var (code, stdout, stderr) = Cli("bench", DeepMlpStep(), "--remat-sweep", "-n", "1", "--svg", svgPath);
        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n').Where(l => l.StartsWith("none ", StringComparison.Ordinal) || l.StartsWith("sqrt ", StringComparison.Ordinal)
            || l.StartsWith("budget ", StringComparison.Ordinal)).ToArray();
        Assert.StartsWith("none ", rows[0], StringComparison.Ordinal);
        Assert.Matches(@"^none +- +[0-9.]+ [KM]?i?B +- +1\.00x ", rows[0]);
        Assert.StartsWith("sqrt ", rows[1], StringComparison.Ordinal);
        Assert.Equal(["budget 90%", "budget 75%", "budget 60%", "budget 45%"], rows.Skip(2).Take(4).Select(r => r[..10]));
        // Budgets shrink until one cannot be met; that row carries the remat pass's error line, and it is the last.
        var failed = rows.Where(r => r.Contains("  failed: ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(failed, r => r.Contains("remat: the memory budget of ", StringComparison.Ordinal));
        Assert.Contains("  failed: ", rows[^1], StringComparison.Ordinal);
        Assert.Contains($"remat sweep [{rows.Length}] ", stderr, StringComparison.Ordinal);
        Assert.Contains($"wrote the trade-off curve to {svgPath}", stdout, StringComparison.Ordinal);

        var svg = XDocument.Load(svgPath);
        var points = svg.Descendants(Svg + "circle").Select(c => c.Element(Svg + "title")!.Value).ToArray();
        Assert.Equal(rows.Length - failed.Length, points.Length);
        Assert.Contains(points, t => t.StartsWith("none (none): arena ", StringComparison.Ordinal));
        Assert.Contains(points, t => t.StartsWith("sqrt (sqrt): arena ", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSweepNeedsATrainingStepAndSvgNeedsTheSweep()
    {
        var affine = Write("affine.gir", Affine);
        var (code, _, stderr) = Cli("bench", affine, "--remat-sweep", "-n", "1", "--svg", Path.Combine(Dir, "a.svg"));
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("the sweep needs a training step", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Dir, "a.svg")));
        Assert.Equal(CliApp.UsageError, Cli("bench", affine, "--svg", Path.Combine(Dir, "a.svg")).Code);
        Assert.Equal(CliApp.UsageError, Cli("bench", affine, "--remat-sweep", "--compare-unfused").Code);
    }
}
