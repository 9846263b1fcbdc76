// Softmax regression on MNIST-sized inputs (Linear 784→10, batch 100, Adam) as a benchmark input for `graphdl bench`.
Init.ManualSeed(0);
var model = new Linear(784, 10);
var x = HostTensor.Zeros(new TensorType(DType.F32, 100, 784));
var y = HostTensor.Zeros(new TensorType(DType.I64, 100));
Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Adam(1e-3), x, y)
