// GraphDL fused and unfused against TorchSharp eager, side by side on the same workloads and data; see bench/README.md
// for the command and the targets. `--smoke` runs every selected case once (a check that all of them run, not a
// measurement); every other argument goes to BenchmarkDotNet.
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using GraphDL.Bench.Torch;

bool smoke = args.Contains("--smoke");
// On top of the default config, which brings the console logger, exporters and analysers.
var config = ManualConfig.Union(DefaultConfig.Instance, smoke ? TorchBenchConfig.Smoke() : TorchBenchConfig.Measure());
BenchmarkSwitcher.FromAssembly(typeof(TorchBenchConfig).Assembly).Run(args.Where(a => a != "--smoke").ToArray(), config);
