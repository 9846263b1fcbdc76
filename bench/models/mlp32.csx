// The memory-planning acceptance model of issue 6: a 32-layer, 1024-wide MLP training step (batch 256, SGD).
// `graphdl bench bench/models/mlp32.csx --remat-sweep` compiles it under remat none, sqrt and memory budgets and
// times them interleaved: 31 hidden ReLU layers keep 62 activations of 1 MiB each for the backward under none.
Init.ManualSeed(0);
var layers = new List<Module>();
for (int i = 0; i < 31; i++)
{
    layers.Add(new Linear(1024, 1024));
    layers.Add(new ReLU());
}
layers.Add(new Linear(1024, 10));
var model = new Sequential(layers.ToArray());
var x = HostTensor.Zeros(new TensorType(DType.F32, 256, 1024));
var y = HostTensor.Zeros(new TensorType(DType.I64, 256));
Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Sgd(0.01), x, y)
