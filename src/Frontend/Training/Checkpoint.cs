using System.Globalization;
using GraphDL.IR;
using GraphDL.Runtime.Serialization;

namespace GraphDL;

/// <summary>
/// Saves and loads models and whole training runs as safetensors files (<see cref="Safetensors"/>), which PyTorch,
/// JAX and the Hugging Face tools read too. Writes are atomic: a process killed mid-save leaves the old file. Loads are
/// validated before anything changes: a malformed file, or one that does not fit the model, throws
/// <see cref="CheckpointException"/> naming the tensor at fault, and the model keeps its values.
/// <code>
/// model.Save("model.safetensors");                         // parameters and buffers, by their qualified names
/// model.Load("model.safetensors");
/// Checkpoint.Save("run.safetensors", step, schedule);      // + optimizer state, step count, random stream, schedule
/// Checkpoint.Load("run.safetensors", step, schedule);      // resumes bit-identically
/// </code>
/// A model file names each tensor as <see cref="Module.StateDict"/> does (<c>l1.weight</c>). A training file holds
/// <c>model.NAME</c> for the model, <c>optimizer.NAME</c> for the optimizer's state (<c>optimizer.adam.l1.weight.exp_avg</c>,
/// <c>optimizer.step</c>) and <c>rng.offset</c>; its metadata the optimizer's type and learning rate and the schedule's
/// state, under keys starting <c>graphdl.</c>, which user metadata may not use.
/// </summary>
public static class Checkpoint
{
    private const string Reserved = "graphdl.";
    private const string KindKey = "graphdl.kind", Model = "model", Training = "training";
    private const string OptimizerKey = "graphdl.optimizer", RateKey = "graphdl.lr", InitialRateKey = "graphdl.initial_lr";
    private const string SchedulerPrefix = "graphdl.scheduler.";
    private const string RngOffset = "rng.offset";

    /// <summary>Saves <paramref name="model"/>'s parameters and buffers, with optional string <paramref name="metadata"/>.</summary>
    /// <exception cref="ArgumentException">A metadata key starts with <c>graphdl.</c>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, Module model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = UserMetadata(metadata);
        header[KindKey] = Model;
        Safetensors.Save(path, Tensors(model, ""), header);
    }

    /// <summary>
    /// Loads parameters and buffers into <paramref name="model"/> from a model file (GraphDL's or another tool's,
    /// by qualified name) or from the model part of a training file. Every tensor of the model must be there with its
    /// dtype and shape, and nothing else. Returns the file's user metadata.
    /// </summary>
    /// <exception cref="CheckpointException">The file is malformed, or a tensor is missing, unexpected or of another type.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, unreadable).</exception>
    public static IReadOnlyDictionary<string, string> Load(string path, Module model)
    {
        var file = Safetensors.Load(path);
        bool training = file.Metadata.GetValueOrDefault(KindKey) == Training;
        var owners = model.Parameters().Concat(model.Buffers()).Select(p => (Key: (training ? "model." : "") + p.Name, Owner: p)).ToArray();
        var tensors = training ? file.Tensors.Where(t => t.Key.StartsWith("model.", StringComparison.Ordinal)).ToArray() : file.Tensors;
        Match(path, owners.Select(o => (o.Key, o.Owner.Type)).ToArray(), tensors, $"{model.GetType().Name}");
        foreach (var (key, owner) in owners)
        {
            owner.Data = file.ByName[key];
        }
        return User(file.Metadata);
    }

    /// <summary>
    /// Saves everything a training run needs to resume bit-identically: the model's parameters and buffers, the
    /// optimizer's state and step count, the random stream's offset (dropout), the learning rate, and
    /// <paramref name="scheduler"/>'s state. Taken between steps (it holds the step's lock).
    /// </summary>
    /// <exception cref="ArgumentException">A metadata key starts with <c>graphdl.</c>, or the scheduler schedules another optimizer.</exception>
    public static void Save(string path, TrainStep step, LRScheduler? scheduler = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        CheckScheduler(step, scheduler);
        var header = UserMetadata(metadata);
        header[KindKey] = Training;
        lock (step.SyncRoot)
        {
            header[OptimizerKey] = step.Optimizer.GetType().Name;
            header[RateKey] = Format(step.Optimizer.LearningRate);
            if (step.Optimizer.InitialLearningRate is { } initial)
            {
                header[InitialRateKey] = Format(initial);
            }
            foreach (var (key, value) in scheduler?.StateDict() ?? new Dictionary<string, string>())
            {
                header[SchedulerPrefix + key] = value;
            }
            var tensors = Tensors(step.Model, "model.")
                .Concat(step.OptimizerState.Select(s => KeyValuePair.Create(OptimizerKeyOf(s), s.Data)))
                .Append(KeyValuePair.Create(RngOffset, HostTensor.FromScalar(Scalar.FromInt64(DType.I64, step.RngOffset))));
            Safetensors.Save(path, tensors, header);
        }
    }

    /// <summary>
    /// Restores a training file written by <see cref="Save(string, TrainStep, LRScheduler?, IReadOnlyDictionary{string, string}?)"/>
    /// into <paramref name="step"/> (a fresh one, or the same) and <paramref name="scheduler"/>: the next step computes
    /// exactly what the saved run's next step computed. Returns the file's user metadata.
    /// </summary>
    /// <exception cref="CheckpointException">
    /// The file is malformed, is a model file, was saved with another optimizer type or without a schedule when one is
    /// given, or a tensor is missing, unexpected or of another type.
    /// </exception>
    /// <exception cref="IOException">The file cannot be read (missing, unreadable).</exception>
    public static IReadOnlyDictionary<string, string> Load(string path, TrainStep step, LRScheduler? scheduler = null)
    {
        CheckScheduler(step, scheduler);
        var file = Safetensors.Load(path);
        var meta = file.Metadata;
        if (meta.GetValueOrDefault(KindKey) != Training)
        {
            throw new CheckpointException(path, null, "it is not a training checkpoint (no optimizer state); load it into the model with Checkpoint.Load(path, model)");
        }
        var optimizerType = step.Optimizer.GetType().Name;
        if (meta.GetValueOrDefault(OptimizerKey) != optimizerType)
        {
            throw new CheckpointException(path, null, $"it was saved with a {meta.GetValueOrDefault(OptimizerKey) ?? "unnamed"} optimizer, this step has a {optimizerType}");
        }
        double rate = ParseRate(path, meta, RateKey) ?? throw new CheckpointException(path, null, $"its metadata has no {RateKey}");
        double? initial = ParseRate(path, meta, InitialRateKey);
        var schedule = meta.Where(m => m.Key.StartsWith(SchedulerPrefix, StringComparison.Ordinal)).ToDictionary(m => m.Key[SchedulerPrefix.Length..], m => m.Value);
        if (scheduler is not null && schedule.Count == 0)
        {
            throw new CheckpointException(path, null, $"it holds no learning-rate schedule to restore into the {scheduler.GetType().Name}");
        }

        var owners = step.Model.Parameters().Concat(step.Model.Buffers()).Select(p => (Key: "model." + p.Name, Owner: p))
            .Concat(step.OptimizerState.Select(s => (Key: OptimizerKeyOf(s), Owner: s))).ToArray();
        var expected = owners.Select(o => (o.Key, o.Owner.Type)).Append((RngOffset, new TensorType(DType.I64, Shape.Scalar))).ToArray();
        Match(path, expected, file.Tensors, $"this {optimizerType} training step");

        lock (step.SyncRoot)
        {
            if (scheduler is not null)
            {
                try
                {
                    scheduler.LoadStateDict(schedule);
                }
                catch (ArgumentException e)
                {
                    throw new CheckpointException(path, null, $"its learning-rate schedule does not load: {e.Message}");
                }
            }
            foreach (var (key, owner) in owners)
            {
                owner.Data = file.ByName[key];
            }
            step.RngOffset = file.ByName[RngOffset].GetInt64(0);
            step.Optimizer.InitialLearningRate = initial ?? step.Optimizer.InitialLearningRate;
            step.Optimizer.LearningRate = rate;
        }
        return User(meta);
    }

    /// <summary>The file's metadata (user entries and GraphDL's), read without loading the tensors.</summary>
    /// <exception cref="CheckpointException">The header is malformed.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path) => Safetensors.ReadMetadata(path);

    /// <summary>
    /// Checks <paramref name="tensors"/> hold exactly the <paramref name="expected"/> names with their types, naming the
    /// first tensor at fault (and listing the other missing or unexpected ones).
    /// </summary>
    private static void Match(string path, IReadOnlyList<(string Key, TensorType Type)> expected, IReadOnlyList<KeyValuePair<string, HostTensor>> tensors, string what)
    {
        var present = tensors.ToDictionary(t => t.Key, t => t.Value.Type, StringComparer.Ordinal);
        var wanted = expected.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(e => !present.ContainsKey(e.Key)).ToArray();
        if (missing.Length > 0)
        {
            throw new CheckpointException(path, missing[0].Key, $"{what} has it ({missing[0].Type}) but the checkpoint does not"
                + (missing.Length > 1 ? $"; also missing: {string.Join(", ", missing.Skip(1).Select(m => m.Key))}" : ""));
        }
        var unexpected = tensors.Where(t => !wanted.Contains(t.Key)).Select(t => t.Key).ToArray();
        if (unexpected.Length > 0)
        {
            throw new CheckpointException(path, unexpected[0], $"the checkpoint has it ({present[unexpected[0]]}) but {what} does not"
                + (unexpected.Length > 1 ? $"; also unexpected: {string.Join(", ", unexpected.Skip(1))}" : ""));
        }
        foreach (var (key, type) in expected)
        {
            if (present[key] != type)
            {
                throw new CheckpointException(path, key, $"the checkpoint holds {present[key]}, {what} needs {type}");
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, HostTensor>> Tensors(Module model, string prefix) =>
        model.Parameters().Concat(model.Buffers()).Select(p => KeyValuePair.Create(prefix + p.Name, p.Data));

    /// <summary><c>optimizer.</c> + the state input's name; the step count is already <c>optimizer.step</c>.</summary>
    private static string OptimizerKeyOf(Parameter state) =>
        state.Name.StartsWith("optimizer.", StringComparison.Ordinal) ? state.Name : "optimizer." + state.Name;

    private static Dictionary<string, string> UserMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (key.StartsWith(Reserved, StringComparison.Ordinal) || key == Safetensors.MetadataKey)
            {
                throw new ArgumentException($"metadata key '{key}' is reserved (keys starting '{Reserved}' are GraphDL's)", nameof(metadata));
            }
            header[key] = value ?? throw new ArgumentNullException(nameof(metadata), $"metadata '{key}' is null");
        }
        return header;
    }

    private static IReadOnlyDictionary<string, string> User(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Where(m => !m.Key.StartsWith(Reserved, StringComparison.Ordinal)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);

    private static void CheckScheduler(TrainStep step, LRScheduler? scheduler)
    {
        if (scheduler is not null && scheduler.Optimizer != step.Optimizer)
        {
            throw new ArgumentException("the scheduler schedules another optimizer than the step's", nameof(scheduler));
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double? ParseRate(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        !metadata.TryGetValue(key, out var text) ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) ? value
        : throw new CheckpointException(path, null, $"its metadata {key} = '{text}' is not a finite number");
}
