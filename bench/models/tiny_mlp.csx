// A tiny MLP training step (8→16→10, batch 4, Adam) as a benchmark input for `graphdl bench`: its kernels take well
// under a microsecond each, so the whole-program time is mostly the cost of running the schedule, step by step.
Init.ManualSeed(0);
var model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 10));
var x = HostTensor.Zeros(new TensorType(DType.F32, 4, 8));
var y = HostTensor.Zeros(new TensorType(DType.I64, 4));
Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Adam(1e-3), x, y)
