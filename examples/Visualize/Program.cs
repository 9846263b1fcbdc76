// Draws a model's forward graph and its training step (forward, backward and SGD update in one graph) as pictures,
// torchviz-style, with the kernels the CPU backend fuses drawn as clusters. Writes DOT, and SVG and PNG when
// Graphviz's dot is on PATH (else SVG by a built-in layered layout).
//
//   dotnet run -c Release --project examples/Visualize [-- --out graphdl-out/visualize --no-graphviz]
using System.Globalization;
using GraphDL;
using GraphDL.Examples.Visualize;
using GraphDL.IR;
using GraphDL.Passes.Visualization;

var output = Option("--out", Path.Combine("graphdl-out", "visualize"));
var dot = args.Contains("--no-graphviz") ? null : Graphviz.Find();

Init.ManualSeed(0);
var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
var x = HostTensor.FromArray(new float[8], 2, 4);
var y = HostTensor.FromArray(new long[] { 0, 2 }, 2);
using var step = Compiler.TrainStep(model, (m, x, y) => F.CrossEntropy(m.Forward(x), y), new Sgd(0.1), x, y);
Console.WriteLine("model: Linear(4, 8) → ReLU → Linear(8, 3), cross-entropy loss, batch 2, SGD");

var pictures = new GraphPictures(Backend.Cpu, output, dot);
Console.WriteLine($"renderer: {pictures.Renderer}");
var forward = pictures.Draw("forward", step.Forward);
Console.WriteLine($"forward: the traced loss, {forward.Nodes} nodes in {forward.Kernels} kernels ({forward.FusedKernels} fuse several nodes)");
var training = pictures.Draw("train_step", step.Graph);
Console.WriteLine($"train_step: after autodiff, the SGD update and simplification, {training.Nodes} nodes in {training.Kernels} kernels ({training.FusedKernels} fuse several nodes)");

Console.WriteLine($"forward nodes: {forward.Nodes}");
Console.WriteLine($"forward kernels: {forward.Kernels}");
Console.WriteLine($"train step nodes: {training.Nodes}");
Console.WriteLine($"train step kernels: {training.Kernels}");
Console.WriteLine($"files: {string.Join(", ", forward.Files.Concat(training.Files))}");

string Option(string name, string fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
