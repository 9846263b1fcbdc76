// The training step of examples/MnistMlp as a script for the CLI, e.g.
//   dotnet run --project src/Cli -- compile examples/MnistMlp/model.csx --print-ir-after-all
//   dotnet run --project src/Cli -- compile examples/MnistMlp/model.csx --dump-dir dumps/mlp
// Its last expression is the compiled training step; the CLI shows each pass of its pipeline.
Init.ManualSeed(0);
var model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
var x = HostTensor.Zeros(new TensorType(DType.F32, 64, 784));
var y = HostTensor.Zeros(new TensorType(DType.I64, 64));
Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Adam(1e-3), x, y)
