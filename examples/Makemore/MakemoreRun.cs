using System.Diagnostics;
using System.Text;
using GraphDL.IR;
using GraphDL.Runtime.Data;
using GraphDL.Training;

namespace GraphDL.Examples.Makemore;

/// <summary>The model and its training: context length, sizes, Adam's learning rate (a tenth of it for the last quarter of the epochs).</summary>
public sealed record MakemoreOptions(int Block = 3, int Embedding = 10, int Hidden = 200, int BatchSize = 64, int Epochs = 24,
    double LearningRate = 1e-2, int Samples = 20, int Seed = 42);

/// <summary>The split, each model's losses in nats per character, and names sampled from each.</summary>
public sealed record MakemoreResult(int Train, int Dev, int Test, int Vocabulary, long Parameters,
    double BigramDevLoss, double BigramTestLoss, double MlpDevLoss, double MlpTestLoss,
    IReadOnlyList<string> BigramSamples, IReadOnlyList<string> MlpSamples, double TrainSeconds);

/// <summary>
/// makemore on a list of names: an 80/10/10 train/dev/test split of the shuffled names; the bigram count model and
/// its dev loss (the baseline); the Bengio MLP trained on the training names and its dev loss (evaluation mode: batch
/// norm's running statistics); both losses on the test names, read once at the end; names sampled from each model.
/// </summary>
public static class MakemoreRun
{
    public static MakemoreResult Run(IReadOnlyList<string> names, MakemoreOptions options, TextWriter? output, Curves? curves)
    {
        var log = output ?? Console.Out;
        var random = new Random(options.Seed);
        var shuffled = names.ToArray();
        random.Shuffle(shuffled);
        int trainCount = (int)(0.8 * shuffled.Length), devCount = (int)(0.1 * shuffled.Length);
        var train = shuffled[..trainCount];
        var dev = shuffled[trainCount..(trainCount + devCount)];
        var test = shuffled[(trainCount + devCount)..];
        var vocabulary = new Vocabulary(names);
        log.WriteLine($"names: {names.Count} ({train.Length} train, {dev.Length} dev, {test.Length} test); vocabulary: {vocabulary.Size} characters ('{new string([.. vocabulary.Chars])}')");

        var bigram = new BigramModel(vocabulary, train);
        double bigramDev = bigram.Loss(dev);
        log.WriteLine($"bigram model: dev loss {bigramDev:F4} (uniform would be {Math.Log(vocabulary.Size):F4})");

        Init.ManualSeed(options.Seed);
        var model = new NameMlp(vocabulary.Size, options.Block, options.Embedding, options.Hidden);
        var (trainX, trainY) = vocabulary.Examples(train, options.Block);
        var (devX, devY) = vocabulary.Examples(dev, options.Block);
        var (testX, testY) = vocabulary.Examples(test, options.Block);
        log.WriteLine($"mlp: block {options.Block}, embedding {options.Embedding}, hidden {options.Hidden}, {model.ParameterCount()} parameters; "
            + $"{trainX.Shape[0]} training examples, batch {options.BatchSize}, Adam lr {options.LearningRate}");
        // The step is compiled for one batch shape: the last partial batch of an epoch is left out (a different one each epoch).
        var loader = new DataLoader(trainX, trainY, options.BatchSize, shuffle: true, seed: options.Seed, dropLast: true);
        var (sampleX, sampleY) = loader.Epoch(0).First();
        var adam = new Adam(options.LearningRate);
        using var step = Compiler.TrainStep(model, (m, x, y) => F.CrossEntropy(m.Forward(x), y), adam, sampleX, sampleY);
        using var devLogits = Compiler.Inference(model, devX);

        var clock = Stopwatch.StartNew();
        double mlpDev = double.NaN;
        using (var progress = TrainingProgress.Start(options.Epochs, loader.BatchCount, options.BatchSize, output))
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                adam.LearningRate = epoch > options.Epochs * 3 / 4 ? options.LearningRate / 10 : options.LearningRate;
                foreach (var (x, y) in loader.Epoch(epoch))
                {
                    progress.Batch(step.Run(x, y));
                }
                mlpDev = Loss(devLogits, devX, devY);
                curves?.Add("train loss (batches, training mode)", epoch, progress.EpochLoss);
                curves?.Add("dev loss", epoch, mlpDev);
                progress.EndEpoch(("dev loss", $"{mlpDev:F4}"));
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        curves?.Add("bigram dev loss", 1, bigramDev);
        curves?.Add("bigram dev loss", options.Epochs, bigramDev);

        using var testLogits = Compiler.Inference(model, testX);
        double mlpTest = Loss(testLogits, testX, testY);
        var sampling = new Random(options.Seed + 1);
        var bigramSamples = Enumerable.Range(0, options.Samples).Select(_ => bigram.Sample(sampling)).ToArray();
        var mlpSamples = Sample(model, vocabulary, options.Samples, sampling);
        return new MakemoreResult(train.Length, dev.Length, test.Length, vocabulary.Size, model.ParameterCount(),
            bigramDev, bigram.Loss(test), mlpDev, mlpTest, bigramSamples, mlpSamples, seconds);
    }

    /// <summary>Mean cross-entropy, in nats, of the model's logits for <paramref name="x"/> against <paramref name="y"/>, computed in f64.</summary>
    public static double Loss(InferenceFunction logits, HostTensor x, HostTensor y)
    {
        var values = logits.Run(x).AsSpan<float>();
        var targets = y.AsSpan<long>();
        int classes = values.Length / targets.Length;
        double sum = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            var p = Sampling.Softmax(values.Slice(i * classes, classes));
            sum -= Math.Log(p[targets[i]]);
        }
        return sum / targets.Length;
    }

    /// <summary>
    /// <paramref name="count"/> names drawn from the MLP side by side: every step runs the model on all contexts at
    /// once and draws each next character from softmax(logits); a name ends at its first '.'.
    /// </summary>
    public static string[] Sample(NameMlp model, Vocabulary vocabulary, int count, Random random, int maxLength = 30)
    {
        var contexts = new long[count * model.Block];
        using var predict = Compiler.Inference(model, HostTensor.FromArray(contexts, count, model.Block));
        var names = Enumerable.Range(0, count).Select(_ => new StringBuilder()).ToArray();
        var done = new bool[count];
        for (int position = 0; position < maxLength && done.Contains(false); position++)
        {
            var logits = predict.Run(HostTensor.FromArray(contexts, count, model.Block)).AsSpan<float>();
            for (int s = 0; s < count; s++)
            {
                if (done[s])
                {
                    continue;
                }
                int next = Sampling.Draw(Sampling.Softmax(logits.Slice(s * vocabulary.Size, vocabulary.Size)), random);
                done[s] = next == 0;
                if (!done[s])
                {
                    names[s].Append(vocabulary.Chars[next]);
                }
                Array.Copy(contexts, s * model.Block + 1, contexts, s * model.Block, model.Block - 1);
                contexts[(s + 1) * model.Block - 1] = next;
            }
        }
        return names.Select(n => n.ToString()).ToArray();
    }
}
