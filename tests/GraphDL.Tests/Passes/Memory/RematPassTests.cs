using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Passes;
using GraphDL.Passes.Autodiff;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;
using GraphDL.Tests.Nn;
using Xunit.Abstractions;

namespace GraphDL.Tests.Passes.Memory;

/// <summary>The remat pass on graphs: policy parsing, saved-activation figures, recomputed dropout masks, markers.</summary>
[Collection(nameof(InitStreamCollection))]
public class RematPassTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("none", RematKind.None, 0L)]
    [InlineData("sqrt", RematKind.Sqrt, 0L)]
    [InlineData("budget=64MB", RematKind.Budget, 64L << 20)]
    [InlineData("budget=3kb", RematKind.Budget, 3072L)]
    [InlineData("budget=1000", RematKind.Budget, 1000L)]
    public void PoliciesParse(string text, RematKind kind, long bytes)
    {
        var policy = RematPolicy.Parse(text);
        Assert.Equal(kind, policy.Kind);
        Assert.Equal(bytes, policy.BudgetBytes);
        Assert.Equal(policy, RematPolicy.Parse(policy.ToString()));
    }

    [Theory]
    [InlineData("budget=0")]
    [InlineData("budget=-5MB")]
    [InlineData("budget=")]
    [InlineData("half")]
    public void BadPoliciesAreRejected(string text) =>
        Assert.Contains("remat policy", Assert.Throws<ArgumentException>(() => RematPolicy.Parse(text)).Message);

    /// <summary>
    /// The acceptance figure: a 32-layer 1024-wide MLP training step at batch 256 (graph analysis only: the step is
    /// compiled for the interpreter and never run). The peak is estimated on the kernel schedule, where each weight's
    /// update runs as soon as its gradient exists, so it falls with the saved activations; a memory budget between the
    /// two is met.
    /// </summary>
    [Fact]
    public void SqrtCutsSavedActivationsOfA32Layer1024WideMlpAtBatch256()
    {
        var x = HostTensor.Zeros(new TensorType(DType.F32, new Shape(256, 1024)));
        var y = HostTensor.Zeros(new TensorType(DType.I64, new Shape(256)));
        Graph Compile(RematPolicy policy, long? budget = null)
        {
            Init.ManualSeed(0);
            var model = new Sequential(Enumerable.Range(0, 32).SelectMany(i => i < 31 ? new Module[] { new Linear(1024, 1024), new ReLU() } : [new Linear(1024, 10)]).ToArray());
            using var step = Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Sgd(0.1), x, y,
                new CompileOptions { Backend = ReferenceBackend.Instance, Remat = policy, MemoryBudget = budget });
            return step.Graph;
        }
        var none = Compile(RematPolicy.None);
        var sqrt = Compile(RematPolicy.Sqrt);
        var (noneSaved, sqrtSaved) = (RematAnalysis.Of(none), RematAnalysis.Of(sqrt));
        var (nonePeak, sqrtPeak) = (MemoryEstimate.Of(none).LowerBoundBytes, MemoryEstimate.Of(sqrt).LowerBoundBytes);
        output.WriteLine($"32x1024 MLP, batch 256: saved activations none {noneSaved.SavedBytes} bytes ({noneSaved.Saved.Count} values), " +
            $"sqrt {sqrtSaved.SavedBytes} bytes ({sqrtSaved.Saved.Count} values), ratio {(double)noneSaved.SavedBytes / sqrtSaved.SavedBytes:F2}");
        output.WriteLine($"estimated peak live bytes (kernel schedule, parameters excluded): none {nonePeak}, sqrt {sqrtPeak}; " +
            $"nodes none {none.Nodes.Count}, sqrt {sqrt.Nodes.Count}");
        Assert.True(sqrtSaved.SavedBytes * 4 <= noneSaved.SavedBytes, $"sqrt saves {sqrtSaved.SavedBytes} bytes, none {noneSaved.SavedBytes}: less than a 4x cut");
        Assert.True(sqrtPeak * 2 <= nonePeak, $"sqrt peaks at {sqrtPeak} bytes, none at {nonePeak}: less than a 2x cut");
        long budget = (nonePeak + sqrtPeak) / 2;
        var budgeted = MemoryEstimate.Of(Compile(RematPolicy.None, budget));
        output.WriteLine($"budget {budget}: estimated arena {budgeted.ArenaBytes}, peak {budgeted.LowerBoundBytes}");
        Assert.InRange(budgeted.ArenaBytes, sqrtPeak, budget);
    }

    /// <summary>A loss with dropout, differentiated: the forward values the backward reads include the dropout masks.</summary>
    private static Graph DropoutGradient(bool checkpoint)
    {
        Tensor Block(Tensor h, Tensor w) => F.Dropout((h.MatMul(w)).Tanh(), 0.4);
        var forward = Trace.Function("dropout_loss", (x, w1, w2) =>
        {
            var h = checkpoint ? F.Checkpoint(t => Block(t, w1), x) : Block(x, w1);
            return (Block(h, w2) * Block(h, w2)).Sum();
        }, TensorSpec.Input(DType.F32, 4, 6).Named("x"), TensorSpec.Param(DType.F32, 6, 6).Named("w1"), TensorSpec.Param(DType.F32, 6, 6).Named("w2"));
        var joint = GradientTransforms.Gradient(forward, ["w1", "w2"]);
        return new PassManager(PassRegistry.Parse(Pipelines.Simplify), PassOptions.Default).Run(joint);
    }

    private static Dictionary<string, HostTensor> Inputs(Graph graph)
    {
        var random = new Random(5);
        return graph.Inputs.ToDictionary(i => i.Name, i => i.Type.DType == DType.I64
            ? HostTensor.FromScalar(Scalar.FromInt64(DType.I64, i.Name == "rng.seed" ? 42 : 3))
            : HostTensor.Random(i.Type, random));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RecomputedDropoutDrawsTheSameMask(bool checkpoint)
    {
        var joint = DropoutGradient(checkpoint);
        var remat = new RematPass(checkpoint ? RematPolicy.None : RematPolicy.Sqrt).Run(joint);
        int Draws(Graph g) => g.Nodes.Count(n => n.Op == Bernoulli.Instance);
        output.WriteLine($"bernoulli nodes: {Draws(joint)} before remat, {Draws(remat)} after");
        Assert.True(Draws(remat) > Draws(joint), "no mask was recomputed");

        var masks = new List<(long Offset, HostTensor Mask)>();
        var rematOutputs = ReferenceInterpreter.Run(remat, remat.Inputs.Select(i => Inputs(remat)[i.Name]).ToArray(), (node, operands, result) =>
        {
            if (node.Op == Bernoulli.Instance)
            {
                masks.Add(((long)operands[1].GetDouble(0), result));
            }
            return result;
        });
        Assert.True(masks.Count > masks.Select(m => m.Offset).Distinct().Count(), "no Philox key was drawn twice");
        foreach (var group in masks.GroupBy(m => m.Offset))
        {
            var first = group.First().Mask;
            Assert.All(group, m => Assert.True(m.Mask.BitEquals(first), $"a recomputed mask at {group.Key} differs"));
        }
        Assert.True(masks.Select(m => m.Mask).Distinct(new MaskComparer()).Count() > 1, "all draws are alike: the test cannot tell masks apart");
        var jointOutputs = ReferenceInterpreter.Run(joint, joint.Inputs.Select(i => Inputs(joint)[i.Name]).ToArray());
        Assert.Equal(jointOutputs.Count, rematOutputs.Count);
        Assert.All(jointOutputs.Zip(rematOutputs), p => Assert.True(p.First.BitEquals(p.Second)));
    }

    private sealed class MaskComparer : IEqualityComparer<HostTensor>
    {
        public bool Equals(HostTensor? a, HostTensor? b) => a!.BitEquals(b!);

        public int GetHashCode(HostTensor t) => t.ElementCount.GetHashCode();
    }

    [Fact]
    public void CheckpointMarkersArePrintedParsedAndRemovedByRemat()
    {
        var joint = DropoutGradient(checkpoint: true);
        Assert.Contains("checkpoint=0", joint.ToString());
        Assert.Equal(joint.ToString(), GraphDL.IR.Text.GirParser.Parse(joint.ToString()).ToString());
        var remat = new RematPass(RematPolicy.None).Run(joint);
        Assert.DoesNotContain("checkpoint=", remat.ToString());
        Assert.Same(remat, new RematPass(RematPolicy.None).Run(remat));
    }

    [Fact]
    public void TheRegisteredRematPassIsSqrt() =>
        Assert.Equal(RematPolicy.Sqrt, Assert.IsType<RematPass>(PassRegistry.Create("remat")).Policy);
}
