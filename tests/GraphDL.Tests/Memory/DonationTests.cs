using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;
using GraphDL.Tests.Codegen;
using GraphDL.Tests.Nn;
using Xunit.Abstractions;

namespace GraphDL.Tests.Memory;

/// <summary>
/// Parameters and optimizer state are updated in place: a training step's outputs that alias an input are written
/// into that input's storage (<see cref="MemoryPlan.Donations"/>, <see cref="IExecutable.RunDonating"/>) when the
/// schedule reads the input for the last time at or before the update. Donating changes no value, never touches an
/// input that is not donated, and falls back to fresh storage when two inputs share one array.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class DonationTests(ITestOutputHelper output)
{
    private static Graph AdamMlpStep()
    {
        Init.ManualSeed(2);
        var model = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 5));
        var x = HostTensor.Zeros(new TensorType(DType.F32, 16, 20));
        var y = HostTensor.Zeros(new TensorType(DType.I64, 16));
        using var step = Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Adam(1e-2), x, y,
            new CompileOptions { Backend = ReferenceBackend.Instance });
        return step.Graph;
    }

    /// <summary>Random inputs with labels in range, each input its own array.</summary>
    private static HostTensor[] Inputs(Graph graph)
    {
        var random = new Random(3);
        return graph.Inputs.Select(i => i.Type.DType == DType.I64 && i.Type.Rank == 1
            ? HostTensor.FromInt64s(DType.I64, i.Type.Shape, Enumerable.Range(0, i.Type.Shape[0]).Select(_ => (long)random.Next(5)).ToArray())
            : RandomInputs.Sample(i.Type, random)).ToArray();
    }

    private static HostTensor[] Copies(IEnumerable<HostTensor> tensors) => tensors.Select(t => t.Copy()).ToArray();

    [Fact]
    public void EveryParameterAndAdamStateIsUpdatedInPlaceWithTheSameValues()
    {
        var graph = AdamMlpStep();
        using var program = (CpuProgram)new CpuBackend().Compile(graph);
        var aliased = graph.Outputs.Where(o => o.Aliases is not null).ToArray();
        output.WriteLine($"{program.Memory.Donations.Count} of {aliased.Length} aliased outputs donated");
        // Every update is elementwise and runs once its gradient exists, after the last read of the old value.
        Assert.Equal(aliased.Length, program.Memory.Donations.Count);

        var inputs = Inputs(graph);
        var kept = Copies(inputs);
        var fresh = program.Run(kept);
        Assert.All(graph.Inputs.Select((_, i) => i), i => Assert.True(kept[i].BitEquals(inputs[i]), $"Run changed input %{graph.Inputs[i].Name}"));

        var donated = Copies(inputs);
        var storages = donated.Select(t => t.Storage).ToArray();
        var inPlace = program.RunDonating(donated);
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            Assert.True(inPlace[o].BitEquals(fresh[o]), $"output {o} differs when donated: {BackendDiff.FirstDifference(inPlace[o], fresh[o])}");
            if (graph.Outputs[o].Aliases is { } input)
            {
                int i = graph.Inputs.ToList().IndexOf(input);
                Assert.Same(storages[i], inPlace[o].Storage);
                Assert.True(donated[i].BitEquals(fresh[o]), $"input %{input.Name} does not hold its new value");
            }
        }
        // Inputs no output updates (the batch, the learning rate) are left alone.
        var updated = aliased.Select(o => o.Aliases!).ToHashSet();
        Assert.All(graph.Inputs.Select((input, i) => (input, i)).Where(p => !updated.Contains(p.input)),
            p => Assert.True(donated[p.i].BitEquals(inputs[p.i]), $"%{p.input.Name} changed"));
    }

    [Fact]
    public void InputsSharingAnArrayAreNotWrittenInPlace()
    {
        var graph = AdamMlpStep();
        using var program = (CpuProgram)new CpuBackend().Compile(graph);
        var inputs = Inputs(graph);
        // Both Adam moments of the first weight start as the same zero tensor, as a careless caller might pass them.
        var moments = graph.Inputs.Select((input, i) => (input, i)).Where(p => p.input.Type == graph.Inputs[0].Type && p.i > 0 && p.input.Name.Contains("0.weight")).Take(2).ToArray();
        Assert.Equal(2, moments.Length);
        var shared = HostTensor.Zeros(moments[0].input.Type);
        var expected = program.Run(inputs.Select((t, i) => moments.Any(m => m.i == i) ? shared : t).ToArray());
        var donated = Copies(inputs);
        foreach (var (_, i) in moments)
        {
            donated[i] = shared;
        }
        var actual = program.RunDonating(donated);
        Assert.True(shared.BitEquals(HostTensor.Zeros(shared.Type)), "an array two inputs share was overwritten");
        Assert.All(actual.Select((t, o) => (t, o)), p => Assert.True(p.t.BitEquals(expected[p.o]), $"output {p.o} differs"));
    }

    [Fact]
    public void TheCheckerRejectsAnOutputWrittenOverAnInputStillToBeRead()
    {
        var graph = AdamMlpStep();
        using var program = (CpuProgram)new CpuBackend().Compile(graph);
        var plan = program.Memory;
        var donation = plan.Donations[0];
        // The update moved to the first step that reads the old value: later steps would read the new one.
        var liveness = new Liveness(plan.Graph, plan.Steps);
        int early = Enumerable.Range(0, plan.Steps.Count).First(s => plan.Steps[s].Reads.Contains(donation.Input));
        Assert.True(early < liveness.LastRead(donation.Input));
        var planted = new MemoryPlan(plan.Graph, plan.Steps, plan.Buffers, plan.ArenaBytes, plan.Heuristic, [donation with { Step = early }]);
        var error = Assert.Throws<MemoryPlanException>(() => MemoryPlanChecker.Check(planted));
        output.WriteLine(error.Message);
        Assert.Contains($"is written into input %{donation.Input.Name}", error.Message);
    }

    [Fact]
    public void TrainStepKeepsEachParametersStorageAndStateDictSnapshotsDoNotMove()
    {
        Init.ManualSeed(4);
        var model = new Sequential(new Linear(8, 8), new Tanh(), new Linear(8, 3));
        var x = HostTensor.Random(new TensorType(DType.F32, 4, 8), new Random(1));
        var y = HostTensor.FromInt64s(DType.I64, new Shape(4), [0, 1, 2, 1]);
        using var step = Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Sgd(0.5), x, y);
        var storages = model.Parameters().Select(p => p.Data.Storage).ToArray();
        var before = model.StateDict();
        step.Run(x, y);
        Assert.True(storages.Zip(model.Parameters()).All(p => ReferenceEquals(p.First, p.Second.Data.Storage)), "a parameter's storage was replaced");
        Assert.Contains(model.Parameters(), p => !p.Data.BitEquals(before[p.Name]));
        // A model loaded from another's state dict owns its tensors: training one leaves the other's alone.
        var twin = new Sequential(new Linear(8, 8), new Tanh(), new Linear(8, 3));
        twin.LoadStateDict(model.StateDict());
        var twinBefore = twin.StateDict();
        step.Run(x, y);
        Assert.All(twin.Parameters(), p => Assert.True(p.Data.BitEquals(twinBefore[p.Name])));
    }

    /// <summary>The values a kernel made of all of <paramref name="graph"/>'s nodes reads only at the index it writes, by input name.</summary>
    private static string[] AlignedInputs(Graph graph) =>
        MemoryStep.AlignedReadsOf(graph.Nodes, (Node)graph.Outputs[0].Value).OfType<GraphInput>().Select(i => i.Name).Order().ToArray();

    [Fact]
    public void AKernelReadsAValueAtItsOwnIndexOnlyThroughElementwiseOpsOfItsShape()
    {
        var square = TensorSpec.Input(DType.F32, 4, 4);
        // Elementwise all the way: both inputs are read where the result is written.
        Assert.Equal(["a", "b"], AlignedInputs(Trace.Function("f", (a, b) => a.Exp() * 2f + b, square, square)));
        // A transpose reads a at the mirrored index.
        Assert.Equal(["b"], AlignedInputs(Trace.Function("f", (a, b) => a.Transpose() + b, square, square)));
        // A reduction reads every element of a's row before the row is written.
        Assert.Equal(["b"], AlignedInputs(Trace.Function("f", (a, b) => a - a.Sum(1, keepDims: true) + b, square, square)));
        // A broadcast scalar (a learning rate) does not stop w's elementwise update from being aligned.
        Assert.Equal(["w"], AlignedInputs(Trace.Function("f", (w, g, lr) => w - g.Transpose() * lr, square, square, TensorSpec.Input(DType.F32))));
    }
}
