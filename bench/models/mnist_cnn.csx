// A small MNIST CNN training step (batch 64, SGD) as a benchmark input for `graphdl bench`.
Init.ManualSeed(0);
var model = new Sequential(
    new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(1600, 10));
var x = HostTensor.Zeros(new TensorType(DType.F32, 64, 1, 28, 28));
var y = HostTensor.Zeros(new TensorType(DType.I64, 64));
Compiler.TrainStep(model, (m, images, labels) => F.CrossEntropy(m.Forward(images), labels), new Sgd(0.01), x, y)
