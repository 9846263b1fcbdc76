// A character LSTM training step (Embedding 39->32, LSTM 128, a linear head back to 39; batch 32; Adam) as a
// compile-time benchmark: the unrolled recurrence repeats the same kernels at every time step. GRAPHDL_SEQ sets the
// sequence length (default 32).
Init.ManualSeed(0);
int steps = int.Parse(Environment.GetEnvironmentVariable("GRAPHDL_SEQ") ?? "32");
var model = new Sequential(new Embedding(39, 32), new LSTM(32, 128, batchFirst: true), new Linear(128, 39));
var x = HostTensor.Zeros(new TensorType(DType.I64, 32, steps));
var y = HostTensor.Zeros(new TensorType(DType.I64, 32 * steps));
Compiler.TrainStep(model, (m, tokens, labels) => F.CrossEntropy(m.Forward(tokens).Reshape(32 * steps, 39), labels), new Adam(1e-3), x, y)
