// Trains the course's convnet (conv, batch norm, ReLU, max-pool, dropout, linear) on Fashion-MNIST with Adam. The
// data come from the Debian package dataset-fashion-mnist (fetched once without root, verified by SHA-256), or from
// $GRAPHDL_DATA/fashion-mnist. Shows a live progress bar on a terminal (one line per epoch when redirected) and
// writes the loss and accuracy curves.
//
//   dotnet run -c Release --project examples/FashionMnistCnn [-- --epochs 3 --batch 100 --lr 0.003 --curves graphdl-out/fashion-mnist-cnn.png]
using System.Globalization;
using GraphDL.Examples.FashionMnistCnn;
using GraphDL.Runtime.Data;
using GraphDL.Training;

var defaults = new CnnOptions();
var options = defaults with
{
    Epochs = Option("--epochs", defaults.Epochs), BatchSize = Option("--batch", defaults.BatchSize), LearningRate = Option("--lr", defaults.LearningRate),
};
var curvesPath = Option("--curves", Path.Combine("graphdl-out", "fashion-mnist-cnn.png"));

var data = FashionMnist.Load(normalize: true, progress: new Progress<string>(Console.WriteLine));
Console.WriteLine(Invariant($"model: conv 1→16, BN, ReLU, pool; conv 16→32, BN, ReLU, pool; dropout 0.25; linear 1568→10; batch {options.BatchSize}, Adam lr {options.LearningRate}"));
var curves = new Curves("Fashion-MNIST convnet");
var result = CnnTraining.Train(data.Train, data.Test, options, output: null, curves);
curves.Save(curvesPath);

Console.WriteLine(Invariant($"parameters: {result.Parameters}"));
Console.WriteLine(Invariant($"train loss: {result.TrainLoss[^1]:F4}"));
Console.WriteLine(Invariant($"test accuracy: {result.FinalAccuracy * 100:F2}%"));
Console.WriteLine(Invariant($"train time: {result.TrainSeconds:F1} s"));
Console.WriteLine($"curves: {curvesPath}");

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

T Option<T>(string name, T fallback) where T : IParsable<T> => ExampleArguments.Option(args, name, fallback);
