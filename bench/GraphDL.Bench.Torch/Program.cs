// GraphDL fused and unfused against TorchSharp eager, side by side on the same workloads and data; see bench/README.md
// for the command and the targets.
using BenchmarkDotNet.Running;
using GraphDL.Bench.Torch;

BenchmarkSwitcher.FromAssembly(typeof(TorchBenchConfig).Assembly).Run(args);
