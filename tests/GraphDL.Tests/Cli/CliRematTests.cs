using GraphDL.Cli;
using GraphDL.IR.Text;
using GraphDL.Passes.Memory;

namespace GraphDL.Tests.Cli;

/// <summary><c>graphdl compile --remat=</c>: the policy reaches training steps compiled by a script, and bad values are usage errors.</summary>
public sealed class CliRematTests : CliFixture
{
    private const string DeepTrainStep = """
        var model = new Sequential(Enumerable.Range(0, 8).SelectMany(i => new Module[] { new Linear(4, 4), new ReLU() }).ToArray());
        var x = HostTensor.Zeros(new TensorType(DType.F32, 16, 4));
        var y = HostTensor.Zeros(new TensorType(DType.I64, 16));
        Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Sgd(0.1), x, y)
        """;

    [Fact]
    public void SqrtRecomputesActivationsOfAScriptsTrainingStep()
    {
        var script = Write("deep.csx", DeepTrainStep);
        var (code, none, stderr) = Cli("compile", script);
        Assert.Equal((0, ""), (code, stderr));
        var (sqrtCode, sqrt, sqrtErr) = Cli("compile", script, "--remat=sqrt");
        Assert.Equal((0, ""), (sqrtCode, sqrtErr));
        var (noneSaved, sqrtSaved) = (RematAnalysis.Of(GirParser.Parse(none)).SavedBytes, RematAnalysis.Of(GirParser.Parse(sqrt)).SavedBytes);
        Assert.True(sqrtSaved < noneSaved, $"--remat=sqrt saves {sqrtSaved} bytes, none {noneSaved}");
        Assert.Equal(none, Cli("compile", script, "--remat=none").Out);
    }

    [Fact]
    public void AGirFileGetsTheRematPassAfterThePipeline()
    {
        var (code, _, stderr) = Cli("compile", Write("affine.gir", Affine), "--remat=budget=1MB", "--print-ir-after=remat");
        Assert.Equal(0, code);
        Assert.Contains("remat", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownPolicyIsAUsageError()
    {
        var (code, _, stderr) = Cli("compile", Write("affine.gir", Affine), "--remat=half");
        Assert.Equal(CliApp.UsageError, code);
        Assert.Contains("--remat: unknown remat policy 'half'", stderr, StringComparison.Ordinal);
    }
}
