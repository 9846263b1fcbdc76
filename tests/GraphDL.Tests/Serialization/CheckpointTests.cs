using GraphDL.IR;
using GraphDL.Runtime.Serialization;

namespace GraphDL.Tests.Serialization;

/// <summary>
/// Checkpoints of models and of training runs: round trips, a resumed run bit-identical to an uninterrupted one,
/// atomic saves, and every mismatch between a file and a model named by tensor, with the model left unchanged.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphdl-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>Linear → BatchNorm (running statistics: buffers) → ReLU → Dropout (the random stream) → Linear.</summary>
    private static Sequential Net(int seed, int hidden = 8)
    {
        Init.ManualSeed(seed);
        return new Sequential(new Linear(4, hidden), new BatchNorm1d(hidden), new ReLU(), new Dropout(0.3), new Linear(hidden, 3));
    }

    private static (HostTensor X, HostTensor Y) Batch(int index)
    {
        var random = new Random(100 + index);
        var x = Enumerable.Range(0, 16 * 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, 16).Select(i => (long)((x[4 * i] > 0 ? 1 : 0) + (x[4 * i + 1] > 0.5 ? 1 : 0))).ToArray();
        return (HostTensor.FromArray(x, 16, 4), HostTensor.FromArray(y, 16));
    }

    private static TrainStep<Sequential> Step(Sequential model, Optimizer optimizer) =>
        Compiler.TrainStep(model, (m, x, y) => F.CrossEntropy(m.Forward(x), y), optimizer, Batch(0).X, Batch(0).Y,
            step: new StepOptions { ClipGradNorm = 0.5 });

    private static void AssertBitIdentical(Module expected, Module actual)
    {
        var a = expected.StateDict();
        var b = actual.StateDict();
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a, p => Assert.True(p.Value.BitEquals(b[p.Key]), $"{p.Key}: {p.Value} vs {b[p.Key]}"));
    }

    [Fact]
    public void AModelRoundTripsWithItsBuffersAndMetadata()
    {
        var model = Net(1);
        using (var step = Step(model, new Adam(0.01)))
        {
            step.Run(Batch(1).X, Batch(1).Y);                     // running statistics and the step count move off their initial values
        }
        var path = PathOf("model.safetensors");
        model.Save(path, new Dictionary<string, string> { ["epoch"] = "3" });
        var copy = Net(2);
        var metadata = copy.Load(path);
        AssertBitIdentical(model, copy);
        Assert.Equal(new Dictionary<string, string> { ["epoch"] = "3" }, metadata);
        Assert.Equal("model", Checkpoint.ReadMetadata(path)["graphdl.kind"]);
        Assert.Contains("m1.running_mean", Safetensors.Load(path).ByName.Keys);
        Assert.Throws<ArgumentException>(() => model.Save(PathOf("x.safetensors"), new Dictionary<string, string> { ["graphdl.kind"] = "mine" }));
    }

    [Fact]
    public void AResumedRunIsBitIdenticalToAnUninterruptedOne()
    {
        const int before = 4, after = 5;
        var path = PathOf("run.safetensors");

        // The uninterrupted run: N steps, save, M more.
        var model = Net(1);
        var optimizer = new AdamW(0.02, weightDecay: 0.1);
        var schedule = new SequentialLR(optimizer, [new LinearLR(optimizer, 0.1, 1.0, 3), new CosineAnnealingLR(optimizer, 10, 1e-4)], [3]);
        var losses = new List<float>();
        using (var step = Step(model, optimizer))
        {
            for (int t = 0; t < before; t++)
            {
                step.Run(Batch(t).X, Batch(t).Y);
                schedule.Step();
            }
            Checkpoint.Save(path, step, schedule, new Dictionary<string, string> { ["batch"] = before.ToString() });
            for (int t = before; t < before + after; t++)
            {
                losses.Add(step.Run(Batch(t).X, Batch(t).Y));
                schedule.Step();
            }
        }

        // The resumed run: a fresh model (other initial values), optimizer, schedule and step, loaded, then M steps.
        var resumed = Net(99);
        var freshOptimizer = new AdamW(0.5, weightDecay: 0.1);
        var freshSchedule = new SequentialLR(freshOptimizer, [new LinearLR(freshOptimizer, 0.1, 1.0, 3), new CosineAnnealingLR(freshOptimizer, 10, 1e-4)], [3]);
        using (var step = Step(resumed, freshOptimizer))
        {
            var metadata = Checkpoint.Load(path, step, freshSchedule);
            Assert.Equal("4", metadata["batch"]);
            Assert.Equal(before, step.Steps);
            Assert.Equal(before, freshSchedule.Steps);
            for (int t = before; t < before + after; t++)
            {
                Assert.Equal(losses[t - before], step.Run(Batch(t).X, Batch(t).Y));
                freshSchedule.Step();
            }
        }
        AssertBitIdentical(model, resumed);
        Assert.Equal(optimizer.LearningRate, freshOptimizer.LearningRate);

        // The model part of a training checkpoint loads into a bare model too.
        var bare = Net(5);
        bare.Load(path);
        Assert.Equal(2, Safetensors.Load(path).Tensors.Count(t => t.Key.StartsWith("optimizer.adamw.m0.weight.", StringComparison.Ordinal)));
    }

    [Fact]
    public void AFailedSaveLeavesTheOldFileAndNoTemporaryFile()
    {
        var path = PathOf("model.safetensors");
        var model = Net(1);
        model.Save(path);
        var old = File.ReadAllBytes(path);
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
        Net(3).Load(path);
    }

    [Fact]
    public void MismatchesAreNamedAndChangeNothing()
    {
        var path = PathOf("model.safetensors");
        Net(1).Save(path);
        void Refused(Module target, string tensor, string fragment)
        {
            var before = target.StateDict();
            var error = Assert.Throws<CheckpointException>(() => target.Load(path));
            Assert.Equal(tensor, error.Tensor);
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
            Assert.All(before, p => Assert.True(p.Value.BitEquals(target.StateDict()[p.Key]), $"{p.Key} changed by a refused load"));
        }

        Refused(Net(2, hidden: 9), "m0.weight", "the checkpoint holds f32[8,4], Sequential needs f32[9,4]");
        Init.ManualSeed(2);
        Refused(new Sequential(new Linear(4, 8), new BatchNorm1d(8), new ReLU(), new Dropout(0.3), new Linear(8, 3), new Linear(3, 2)),
            "m5.weight", "Sequential has it (f32[2,3]) but the checkpoint does not; also missing: m5.bias");
        Init.ManualSeed(2);
        Refused(new Sequential(new Linear(4, 8), new BatchNorm1d(8), new ReLU(), new Dropout(0.3), new Linear(8, 3, bias: false)),
            "m4.bias", "the checkpoint has it (f32[3]) but Sequential does not");
        Init.ManualSeed(2);
        Refused(new Sequential(new Linear(4, 8, dtype: DType.F64), new BatchNorm1d(8), new ReLU(), new Dropout(0.3), new Linear(8, 3)),
            "m0.weight", "the checkpoint holds f32[8,4], Sequential needs f64[8,4]");
    }

    [Fact]
    public void TrainingCheckpointsRefuseWhatTheyCannotRestore()
    {
        var model = Net(1);
        var optimizer = new Adam(0.01);
        using var step = Step(model, optimizer);
        var modelFile = PathOf("model.safetensors");
        model.Save(modelFile);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(modelFile, step));
        Assert.Contains("not a training checkpoint", error.Message, StringComparison.Ordinal);

        var runFile = PathOf("run.safetensors");
        Checkpoint.Save(runFile, step);
        var sgdModel = Net(1);
        using (var sgdStep = Step(sgdModel, new Sgd(0.1, momentum: 0.9)))
        {
            error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(runFile, sgdStep));
            Assert.Contains("saved with a Adam optimizer, this step has a Sgd", error.Message, StringComparison.Ordinal);
        }
        error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(runFile, step, new StepLR(optimizer, 3)));
        Assert.Contains("no learning-rate schedule", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(runFile, step, new StepLR(new Sgd(1), 3)));

        // A different architecture is named by its first differing tensor, in its checkpoint name.
        var wider = Net(1, hidden: 9);
        using var widerStep = Step(wider, new Adam(0.01));
        error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(runFile, widerStep));
        Assert.Equal("model.m0.weight", error.Tensor);
    }
}
