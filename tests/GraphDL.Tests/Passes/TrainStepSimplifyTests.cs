using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Runtime;
using Xunit.Abstractions;

namespace GraphDL.Tests.Passes;

/// <summary>
/// The simplify pipeline on a real training step (an MLP with Adam): it removes nodes, and the simplified graph
/// computes exactly the same loss, parameters and optimizer state, bit for bit.
/// </summary>
public class TrainStepSimplifyTests(ITestOutputHelper output)
{
    /// <summary>The training step of a features-hidden-10 ReLU MLP with Adam and cross-entropy, as <c>examples/MnistMlp</c> builds it (784-128-10, batch 64).</summary>
    internal static Graph MlpTrainStep(int features = 8, int hidden = 16, int batch = 4)
    {
        Init.ManualSeed(0);
        var model = new Sequential(new Linear(features, hidden), new ReLU(), new Linear(hidden, 10));
        var x = HostTensor.Random(new TensorType(DType.F32, batch, features), new Random(1));
        var y = HostTensor.FromInt64s(DType.I64, new Shape(batch), Enumerable.Range(0, batch).Select(i => (long)(i * 7 % 10)).ToArray());
        using var step = Compiler.TrainStep(model, (m, input, target) => F.CrossEntropy(m.Forward(input), target), new Adam(1e-3), x, y, new CompileOptions { Pipeline = "" });
        return step.Graph;
    }

    [Theory]
    [InlineData(8, 16, 4, 3)]
    [InlineData(784, 128, 64, 1)]
    public void SimplifyShrinksTheMlpTrainingStepAndKeepsItsResultsBitwise(int features, int hidden, int batch, int seeds)
    {
        var graph = MlpTrainStep(features, hidden, batch);
        var log = new StringWriter();
        var manager = new PassManager(PassRegistry.Parse(Pipelines.Simplify), new PassOptions { VerifyEach = true, Statistics = true, Log = log });
        var simplified = manager.Run(graph);

        output.WriteLine($"MLP {features}-{hidden}-10 (batch {batch}) + Adam training step: {graph.Nodes.Count} nodes before {Pipelines.Simplify}, {simplified.Nodes.Count} after");
        foreach (var record in manager.Records)
        {
            output.WriteLine($"  {record.Name,-13} {record.NodesBefore,4} -> {record.NodesAfter,4}");
        }
        output.WriteLine(log.ToString());
        foreach (var pass in new[] { "canonicalize", "fold", "cse" })
        {
            output.WriteLine($"  {pass},dce alone: {PassFileTests.Pipeline(pass + ",dce").Run(graph).Nodes.Count} nodes");
        }
        output.WriteLine($"  dce alone: {PassFileTests.Pipeline("dce").Run(graph).Nodes.Count} nodes");
        Assert.True(simplified.Nodes.Count < graph.Nodes.Count, $"simplify left {simplified.Nodes.Count} of {graph.Nodes.Count} nodes");

        for (int seed = 0; seed < seeds; seed++)
        {
            // Random inputs; the labels are integers in [0, 10), valid class indices.
            var inputs = RandomInputs.For(graph, seed);
            var expected = ReferenceInterpreter.Run(graph, inputs);
            var actual = ReferenceInterpreter.Run(simplified, inputs);
            Assert.Equal(graph.Outputs.Count, simplified.Outputs.Count);
            for (int o = 0; o < expected.Count; o++)
            {
                Assert.Equal(graph.OutputName(o), simplified.OutputName(o));
                Assert.True(actual[o].BitEquals(expected[o]), $"output {graph.OutputName(o)} differs on seed {seed}: {actual[o].FirstMismatch(expected[o], 0, 0, equalNan: true)}");
            }
        }
    }

    [Fact]
    public void SimplifyKeepsInputsOutputsAndAliases()
    {
        var graph = MlpTrainStep();
        var simplified = PassFileTests.Pipeline(Pipelines.Simplify).Run(graph);
        Assert.Equal(graph.Name, simplified.Name);
        Assert.Equal(graph.Inputs.Select(i => i.ToString()), simplified.Inputs.Select(i => i.ToString()));
        Assert.Equal(graph.Outputs.Select(o => (o.Name, o.Value.Type, o.Aliases?.Name)), simplified.Outputs.Select(o => (o.Name, o.Value.Type, o.Aliases?.Name)));
    }

    [Fact]
    public void SimplifyIsAFixedPointOnItsOwnResult()
    {
        var once = PassFileTests.Pipeline(Pipelines.Simplify).Run(MlpTrainStep());
        var twice = PassFileTests.Pipeline(Pipelines.Simplify).Run(once);
        Assert.Equal(once.ToString(), twice.ToString());
    }
}
