using System.Diagnostics;
using System.Text;
using GraphDL.IR;
using GraphDL.Training;

namespace GraphDL.Examples.CharRnn;

/// <summary>
/// The model and its training: the cell, sizes, <see cref="Batch"/> streams read <see cref="Length"/> characters a
/// step (the BPTT truncation length), <see cref="Rounds"/> × <see cref="StepsPerRound"/> Adam steps with gradients
/// clipped to a global norm of <see cref="ClipNorm"/>, and the sample drawn at the end.
/// </summary>
public sealed record CharRnnOptions(string Cell = "lstm", int Embedding = 32, int Hidden = 256, int Batch = 32, int Length = 48,
    int Rounds = 8, int StepsPerRound = 100, double LearningRate = 4e-3, double ClipNorm = 1.0, double ValFraction = 0.1,
    string Prompt = "The whale ", int SampleLength = 300, double Temperature = 0.7, int Seed = 1);

/// <summary>What a run reached: losses in nats per character (the last round's training batches, and the held-out text), the sample, the times.</summary>
public sealed record CharRnnResult(int TrainChars, int ValChars, int Vocabulary, long Parameters, int Steps, double TrainLoss, double ValLoss,
    double InitialValLoss, string Sample, double TrainSeconds, double CharsPerSecond);

/// <summary>
/// A character RNN over a text: the first 1 − <see cref="CharRnnOptions.ValFraction"/> of it for training, the rest
/// held out. Training is truncated backpropagation through time: each step reads the next chunk of every stream and
/// starts from the state the previous chunk ended in, which the step returns as a value (<see cref="StepResult.Outputs"/>),
/// so gradients stop at the chunk's start while the state runs on; at the end of the streams the state restarts at zero.
/// </summary>
public static class CharRnnRun
{
    public static CharRnnResult Run(string text, CharRnnOptions options, TextWriter? output, Curves? curves)
    {
        var log = output ?? Console.Out;
        var vocabulary = new CharVocabulary(text);
        int split = (int)(text.Length * (1 - options.ValFraction));
        var train = new StreamBatches(vocabulary.Encode(text[..split]), options.Batch, options.Length);
        var val = new StreamBatches(vocabulary.Encode(text[split..]), options.Batch, options.Length);

        Init.ManualSeed(options.Seed);
        var model = new CharModel(options.Cell, vocabulary.Size, options.Embedding, options.Hidden);
        log.WriteLine($"text: {split} training and {text.Length - split} held-out characters, vocabulary {vocabulary.Size}");
        log.WriteLine($"{options.Cell}: embedding {options.Embedding}, hidden {options.Hidden}, {model.ParameterCount()} parameters; "
            + $"{options.Batch} streams × {options.Length} characters a step, Adam lr {options.LearningRate}, clip {options.ClipNorm}");

        var (sampleX, sampleY) = train.Chunk(0);
        var state = model.ZeroState(options.Batch);
        var adam = new Adam(options.LearningRate);
        var schedule = new CosineAnnealingLR(adam, options.Rounds * options.StepsPerRound, options.LearningRate / 10);
        using var step = Compiler.TrainStep(model, (m, a) =>
        {
            var (logits, next) = m.Forward(a[0], a[2..]);
            return (CharModel.Loss(logits, a[1]), next);
        }, adam, [sampleX, sampleY, .. state], step: new StepOptions { ClipGradNorm = options.ClipNorm });
        using var evaluate = Compiler.Inference(model, (m, a) =>
        {
            var (logits, next) = m.Forward(a[0], a[2..]);
            return [CharModel.Loss(logits, a[1]), .. next];
        }, [sampleX, sampleY, .. state]);

        double initialVal = Loss(evaluate, val, model);
        log.WriteLine($"held-out loss before training: {initialVal:F4} (uniform would be {Math.Log(vocabulary.Size):F4})");
        curves?.Add("held-out loss", 0, initialVal);
        var clock = Stopwatch.StartNew();
        double valLoss = initialVal, trainLoss = double.NaN;
        int steps = 0;
        using (var progress = TrainingProgress.Start(options.Rounds, options.StepsPerRound, options.Batch * options.Length, output))
        {
            for (int round = 1; round <= options.Rounds; round++)
            {
                for (int i = 0; i < options.StepsPerRound; i++, steps++)
                {
                    int k = steps % train.ChunkCount;
                    if (k == 0)
                    {
                        state = model.ZeroState(options.Batch);
                    }
                    var (x, y) = train.Chunk(k);
                    var result = step.Step([x, y, .. state]);
                    state = [.. result.Outputs];
                    schedule.Step();
                    progress.Batch(result.LossValue);
                }
                trainLoss = progress.EpochLoss;
                valLoss = Loss(evaluate, val, model);
                curves?.Add("train loss (last round's batches)", steps, trainLoss);
                curves?.Add("held-out loss", steps, valLoss);
                progress.EndEpoch(("held-out loss", $"{valLoss:F4}"), ("lr", $"{adam.LearningRate:G3}"));
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var sample = Sample(model, vocabulary, options.Prompt, options.SampleLength, options.Temperature, new Random(options.Seed));
        return new CharRnnResult(split, text.Length - split, vocabulary.Size, model.ParameterCount(), steps, trainLoss, valLoss, initialVal,
            sample, seconds, (double)steps * options.Batch * options.Length / seconds);
    }

    /// <summary>Mean loss over every chunk of <paramref name="batches"/>, read in order with the state carried from chunk to chunk.</summary>
    public static double Loss(InferenceFunction evaluate, StreamBatches batches, CharModel model)
    {
        var state = model.ZeroState(batches.Batch);
        double sum = 0;
        for (int k = 0; k < batches.ChunkCount; k++)
        {
            var (x, y) = batches.Chunk(k);
            var outputs = evaluate.RunAll([x, y, .. state]);
            sum += outputs[0].GetDouble(0);
            state = [.. outputs.Skip(1)];
        }
        return sum / batches.ChunkCount;
    }

    /// <summary>
    /// <paramref name="prompt"/> followed by <paramref name="length"/> characters drawn one at a time: the prompt is
    /// read to warm the state up, then each drawn character is fed back. One compiled step of one character serves both.
    /// </summary>
    public static string Sample(CharModel model, CharVocabulary vocabulary, string prompt, int length, double temperature, Random random)
    {
        var tokens = vocabulary.Encode(prompt);
        if (tokens.Length == 0)
        {
            throw new ArgumentException("the prompt is empty: sampling starts from at least one character", nameof(prompt));
        }
        var state = model.ZeroState(1);
        HostTensor Token(long t) => HostTensor.FromArray([t], 1, 1);
        using var next = Compiler.Inference(model, (m, a) =>
        {
            var (logits, s) = m.Forward(a[0], a[1..]);
            return [logits.Reshape(1, -1), .. s];
        }, [Token(0), .. state]);
        var text = new StringBuilder(prompt);
        ReadOnlySpan<float> logits = default;
        for (int i = 0; i < tokens.Length + length; i++)
        {
            long token = i < tokens.Length ? tokens[i] : Sampling.Draw(Sampling.Softmax(logits, temperature), random);
            if (i >= tokens.Length)
            {
                text.Append(vocabulary.Chars[(int)token]);
            }
            var outputs = next.RunAll([Token(token), .. state]);
            logits = outputs[0].AsSpan<float>();
            state = [.. outputs.Skip(1)];
        }
        return text.ToString();
    }
}
