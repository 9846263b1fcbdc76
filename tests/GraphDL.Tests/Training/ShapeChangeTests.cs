using GraphDL.IR;
using GraphDL.Runtime;
using GraphDL.Runtime.Data;

namespace GraphDL.Tests.Training;

/// <summary>
/// Compiled functions called with a new input shape compile for it once and keep every shape: the DataLoader's partial
/// last batch trains and evaluates end to end, logged once; a longer prompt runs; the limit is a clear error.
/// </summary>
public class ShapeChangeTests
{
    /// <summary>x [n, 3] f32 and y [n, 1] = x·(1, −2, 0.5) + 0.25, seeded.</summary>
    private static (HostTensor X, HostTensor Y) Data(int n, int seed = 1)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, n * 3).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => x[3 * i] - 2 * x[3 * i + 1] + 0.5f * x[3 * i + 2] + 0.25f).ToArray();
        return (HostTensor.FromArray(x, n, 3), HostTensor.FromArray(y, n, 1));
    }

    private static Tensor Mse(Linear m, Tensor x, Tensor y) => ((m.Forward(x) - y) * (m.Forward(x) - y)).Mean();

    [Fact]
    public void APartialLastBatchTrainsAndEvaluatesEndToEndAndRecompilesOnce()
    {
        Init.ManualSeed(7);
        var model = new Linear(3, 1);
        var (x, y) = Data(10);
        var loader = new DataLoader(x, y, batchSize: 4, shuffle: true, seed: 2);
        var log = new List<string>();
        var options = new CompileOptions { Log = log.Add };
        var first = loader.Epoch(0).First();
        using var step = Compiler.TrainStep(model, Mse, new Sgd(0.1), first.X, first.Y, options);
        using var predict = Compiler.Inference(model, first.X, options);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            foreach (var (bx, by) in loader.Epoch(epoch))
            {
                if (bx.Shape[0] < 4)
                {
                    // The partial batch's step is exactly what a step compiled for that shape computes from the same state.
                    var twin = new Linear(3, 1);
                    twin.LoadStateDict(model.StateDict());
                    using var twinStep = Compiler.TrainStep(twin, Mse, new Sgd(0.1), bx, by, options);
                    float twinLoss = twinStep.Run(bx, by);
                    Assert.Equal(twinLoss, step.Run(bx, by));
                    Assert.All(model.StateDict(), p => Assert.True(p.Value.BitEquals(twin.StateDict()[p.Key]), p.Key));
                }
                else
                {
                    step.Run(bx, by);
                }
            }
            var predictions = loader.Epoch(epoch).Select(b => predict.Run(b.X)).ToArray();
            Assert.Equal([4, 4, 2], predictions.Select(p => p.Shape[0]));
        }

        // One line for the training step's new shape and one for the inference function's, over three epochs.
        Assert.Equal(2, log.Count);
        Assert.StartsWith("graphdl: recompiling train_step (compiled at ShapeChangeTests.cs:", log[0], StringComparison.Ordinal);
        Assert.EndsWith("for x: f32[2,3], y: f32[2,1]: shape 2 of at most 8", log[0], StringComparison.Ordinal);
        Assert.Contains("recompiling inference", log[1], StringComparison.Ordinal);
        Assert.Equal([[new TensorType(DType.F32, 4, 3), new TensorType(DType.F32, 4, 1)], [new TensorType(DType.F32, 2, 3), new TensorType(DType.F32, 2, 1)]],
            step.CompiledShapes.Select(s => s.ToArray()));

        // The partial batch's predictions agree with the interpreter's.
        var last = loader.Epoch(0).Last();
        using var oracle = Compiler.Inference(model, last.X, new CompileOptions { Backend = Backend.Reference });
        TrainingTestUtil.AssertClose(oracle.Run(last.X).ToDoubleArray(), predict.Run(last.X).ToDoubleArray(), "partial-batch predictions", 1e-5);
    }

    [Fact]
    public void ShapesPastTheLimitAreAClearError()
    {
        Init.ManualSeed(7);
        var model = new Linear(3, 1);
        var (x, y) = Data(8);
        int compiledAt = TrainingTestUtil.Line() + 1;
        using var step = Compiler.TrainStep(model, Mse, new Sgd(0.1), x, y, new CompileOptions { MaxShapes = 2, Log = _ => { } });
        var (x5, y5) = Data(5);
        step.Run(x5, y5);
        var (x3, y3) = Data(3);
        int calledAt = TrainingTestUtil.Line() + 1;
        var error = Assert.Throws<RecompileLimitException>(() => step.Run(x3, y3));
        Assert.StartsWith($"ShapeChangeTests.cs:{calledAt}: error: train_step (compiled at ShapeChangeTests.cs:{compiledAt}) already holds 2 compiled shapes", error.Message, StringComparison.Ordinal);
        Assert.Contains("(CompileOptions.MaxShapes = 2), and x: f32[3,3], y: f32[3,1] would be one more", error.Message, StringComparison.Ordinal);
        Assert.Contains("It holds: x: f32[8,3], y: f32[8,1]; x: f32[5,3], y: f32[5,1].", error.Message, StringComparison.Ordinal);
        // The shapes it holds still run.
        step.Run(x5, y5);
        step.Run(x, y);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompileOptions { MaxShapes = 0 });
    }

    /// <summary>A position-wise language model: embedding then a linear head, logits [1, T, vocab] for tokens [1, T].</summary>
    private sealed class Bigram : Module
    {
        public Bigram()
        {
            Embed = Register("embed", new Embedding(11, 4));
            Head = Register("head", new Linear(4, 11));
        }

        public Embedding Embed { get; }

        public Linear Head { get; }

        public override Tensor Forward(Tensor tokens) => Head.Forward(Embed.Forward(tokens));
    }

    [Fact]
    public void ALongerPromptCompilesForItsLength()
    {
        Init.ManualSeed(3);
        var model = new Bigram();
        var log = new List<string>();
        HostTensor Prompt(params long[] tokens) => HostTensor.FromArray(tokens, 1, tokens.Length);
        using var logits = Compiler.Inference(model, (m, tokens) => m.Forward(tokens), Prompt(1, 2, 3), new CompileOptions { Log = log.Add });
        var short3 = logits.Run(Prompt(1, 2, 3)).ToDoubleArray();
        var long5 = logits.Run(Prompt(1, 2, 3, 9, 4)).ToDoubleArray();
        Assert.Equal(5 * 11, long5.Length);
        TrainingTestUtil.AssertClose(short3, long5[..(3 * 11)], "the first three positions", 1e-6);
        Assert.Single(log);
        Assert.Contains("for tokens: i64[1,5]", log[0], StringComparison.Ordinal);

        int calledAt = TrainingTestUtil.Line() + 1;
        var error = Assert.Throws<ArgumentException>(() => logits.Run(HostTensor.FromArray([1, 2], 1, 2)));
        Assert.StartsWith($"ShapeChangeTests.cs:{calledAt}: error: inference: tokens must be i64 of rank 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInferenceFunctionOfSeveralInputsAndOutputsDrawsNewRandomNumbersEachCall()
    {
        Init.ManualSeed(3);
        var model = new Linear(3, 3);
        var ones = HostTensor.Full(new TensorType(DType.F32, 64, 3), Scalar.FromDouble(DType.F32, 1));
        var scale = HostTensor.FromScalar(Scalar.FromDouble(DType.F32, 2));
        InferenceFunction Make() => Compiler.Inference(model, (m, inputs) => [F.Dropout(inputs[0], 0.5, training: true), m.Forward(inputs[0]) * inputs[1]], [ones, scale]);
        using var f = Make();
        var first = f.RunAll([ones, scale]);
        var second = f.RunAll([ones, scale]);
        Assert.Equal(2, first.Count);
        Assert.False(first[0].BitEquals(second[0]), "two calls drew the same dropout mask");
        Assert.True(first[1].BitEquals(second[1]));
        using var again = Make();
        Assert.True(first[0].BitEquals(again.RunAll([ones, scale])[0]), "a fresh function did not start the stream where the first did");
    }
}
