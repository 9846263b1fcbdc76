using System.Diagnostics;
using System.Text;
using GraphDL.Examples.CharRnn;
using GraphDL.IR;
using GraphDL.Training;

namespace GraphDL.Examples.MiniGpt;

/// <summary>
/// Training: <see cref="Steps"/> AdamW steps (weight decay <see cref="WeightDecay"/>) on batches of random windows,
/// the learning rate warmed up linearly over <see cref="Warmup"/> steps and then annealed by a cosine to a tenth,
/// gradients clipped to a global norm of <see cref="ClipNorm"/>; the held-out loss every <see cref="EvalEvery"/> steps
/// on <see cref="EvalBatches"/> fixed batches; a checkpoint at the end; a sample of <see cref="SampleLength"/> characters.
/// Dropout is off by default: in a run this short the model underfits rather than overfits, and p = 0.05 ended at a
/// held-out loss of 1.8646 instead of 1.8113; it pays in longer runs of bigger models (<c>--dropout 0.1</c>).
/// </summary>
public sealed record MiniGptOptions(int Block = 64, int Embedding = 64, int Heads = 4, int Layers = 2, double Dropout = 0.0,
    int Batch = 16, int Steps = 2000, int Warmup = 40, double LearningRate = 5e-3, double WeightDecay = 0.1, double ClipNorm = 1.0,
    int EvalEvery = 100, int EvalBatches = 16, double ValFraction = 0.1, string Prompt = "The whale ", int SampleLength = 300,
    double Temperature = 0.8, string? CheckpointPath = null, int Seed = 1);

/// <summary>What a run reached: losses in nats per character, the sample, the training throughput, the checkpoint's size.</summary>
public sealed record MiniGptResult(int TrainChars, int ValChars, int Vocabulary, long Parameters, double TrainLoss, double ValLoss,
    double InitialValLoss, string Sample, double TrainSeconds, double TokensPerSecond, long CheckpointBytes);

/// <summary>nanoGPT's training loop on a text, the first 1 − <see cref="MiniGptOptions.ValFraction"/> of it for training, the rest held out.</summary>
public static class MiniGptRun
{
    public static MiniGptResult Run(string text, MiniGptOptions options, TextWriter? output, Curves? curves)
    {
        var log = output ?? Console.Out;
        if (options.Warmup < 1 || options.Steps <= options.Warmup || options.EvalEvery < 1)
        {
            throw new ArgumentException($"training needs at least one warmup step and more steps than warmup steps, and evaluations every step or more: "
                + $"got {options.Steps} steps, {options.Warmup} warmup, evaluation every {options.EvalEvery}");
        }
        var vocabulary = new CharVocabulary(text);
        int split = (int)(text.Length * (1 - options.ValFraction));
        long[] train = vocabulary.Encode(text[..split]), val = vocabulary.Encode(text[split..]);
        if (Math.Min(train.Length, val.Length) <= options.Block)
        {
            throw new ArgumentException($"the training and held-out parts ({train.Length} and {val.Length} characters) must each be longer than the block ({options.Block})");
        }

        Init.ManualSeed(options.Seed);
        var config = new GptConfig(vocabulary.Size, options.Block, options.Embedding, options.Heads, options.Layers, options.Dropout);
        var model = new Gpt(config);
        log.WriteLine($"text: {split} training and {text.Length - split} held-out characters, vocabulary {vocabulary.Size}");
        log.WriteLine($"gpt: {options.Layers} layers, {options.Heads} heads, width {options.Embedding}, block {options.Block}, dropout {options.Dropout}, "
            + $"{model.ParameterCount()} parameters; batch {options.Batch}, AdamW lr {options.LearningRate} (weight decay {options.WeightDecay}), "
            + $"warmup {options.Warmup} + cosine, clip {options.ClipNorm}");

        var random = new Random(options.Seed);
        var evalRandom = new Random(options.Seed + 1);
        var evalBatches = Enumerable.Range(0, options.EvalBatches).Select(_ => Windows(val, options.Batch, options.Block, evalRandom)).ToArray();
        var (sampleX, sampleY) = evalBatches[0];
        var optimizer = new AdamW(options.LearningRate, weightDecay: options.WeightDecay);
        var schedule = new SequentialLR(optimizer,
            [new LinearLR(optimizer, 1.0 / options.Warmup, 1.0, options.Warmup), new CosineAnnealingLR(optimizer, options.Steps - options.Warmup, options.LearningRate / 10)],
            [options.Warmup]);
        using var step = Compiler.TrainStep(model, (m, x, y) => m.Loss(x, y), optimizer, sampleX, sampleY,
            step: new StepOptions { ClipGradNorm = options.ClipNorm });
        using var evaluate = Compiler.Inference(model, (m, x, y) => m.Loss(x, y), sampleX, sampleY);
        double Evaluate() => evalBatches.Average(b => evaluate.Run(b.X, b.Y).GetDouble(0));

        double initialVal = Evaluate(), valLoss = initialVal, trainLoss = double.NaN;
        log.WriteLine($"held-out loss before training: {initialVal:F4} (uniform would be {Math.Log(vocabulary.Size):F4})");
        curves?.Add("held-out loss", 0, initialVal);
        int rounds = (options.Steps + options.EvalEvery - 1) / options.EvalEvery;
        var clock = Stopwatch.StartNew();
        var trainTime = TimeSpan.Zero;
        using (var progress = TrainingProgress.Start(rounds, options.EvalEvery, options.Batch * options.Block, output))
        {
            for (int done = 0; done < options.Steps;)
            {
                var started = clock.Elapsed;
                for (int i = 0; i < options.EvalEvery && done < options.Steps; i++, done++)
                {
                    var (x, y) = Windows(train, options.Batch, options.Block, random);
                    progress.Batch(step.Run(x, y));
                    schedule.Step();
                }
                trainTime += clock.Elapsed - started;
                trainLoss = progress.EpochLoss;
                valLoss = Evaluate();
                curves?.Add("train loss (batches since the last evaluation)", done, trainLoss);
                curves?.Add("held-out loss", done, valLoss);
                progress.EndEpoch(("held-out loss", $"{valLoss:F4}"), ("lr", $"{optimizer.LearningRate:G3}"));
            }
        }

        long checkpointBytes = 0;
        if (options.CheckpointPath is { } path)
        {
            Checkpoint.Save(path, step, schedule, new Dictionary<string, string> { ["vocabulary"] = new string([.. vocabulary.Chars]) });
            checkpointBytes = new FileInfo(path).Length;
        }
        var sample = Generate(model, vocabulary, options.Prompt, options.SampleLength, options.Temperature, new Random(options.Seed));
        return new MiniGptResult(split, text.Length - split, vocabulary.Size, model.ParameterCount(), trainLoss, valLoss, initialVal, sample,
            trainTime.TotalSeconds, (double)options.Steps * options.Batch * options.Block / trainTime.TotalSeconds, checkpointBytes);
    }

    /// <summary><paramref name="batch"/> windows of <paramref name="block"/> tokens at random starts, and the same windows one token later: i64 [batch, block] each.</summary>
    public static (HostTensor X, HostTensor Y) Windows(long[] tokens, int batch, int block, Random random)
    {
        var x = new long[batch * block];
        var y = new long[batch * block];
        for (int b = 0; b < batch; b++)
        {
            int start = random.Next(tokens.Length - block);
            Array.Copy(tokens, start, x, b * block, block);
            Array.Copy(tokens, start + 1, y, b * block, block);
        }
        return (HostTensor.FromArray(x, batch, block), HostTensor.FromArray(y, batch, block));
    }

    /// <summary>
    /// <paramref name="prompt"/> followed by <paramref name="length"/> drawn characters. The context (the last block
    /// of characters at most) sits at the start of a window of exactly the block size, padded after it; the causal mask
    /// keeps the padding from reaching the last real position, whose logits give the next character. Every call has
    /// the one shape the function was compiled for, so generating never recompiles.
    /// </summary>
    public static string Generate(Gpt model, CharVocabulary vocabulary, string prompt, int length, double temperature, Random random,
        CompileOptions? compile = null)
    {
        var tokens = vocabulary.Encode(prompt).ToList();
        if (tokens.Count == 0)
        {
            throw new ArgumentException("the prompt is empty: generation starts from at least one character", nameof(prompt));
        }
        int block = model.Config.Block, classes = vocabulary.Size;
        var window = new long[block];
        using var logitsOf = Compiler.Inference(model, HostTensor.FromArray(window, 1, block), compile);
        var text = new StringBuilder(prompt);
        for (int i = 0; i < length; i++)
        {
            int n = Math.Min(tokens.Count, block);
            Array.Clear(window);
            tokens.CopyTo(tokens.Count - n, window, 0, n);
            var logits = logitsOf.Run(HostTensor.FromArray(window, 1, block)).AsSpan<float>().Slice((n - 1) * classes, classes);
            int next = Sampling.Draw(Sampling.Softmax(logits, temperature), random);
            tokens.Add(next);
            text.Append(vocabulary.Chars[next]);
        }
        return text.ToString();
    }
}
