// GraphDL quickstart: trace a two-layer MLP written in C#, read its IR, run it on the reference interpreter.
using GraphDL;
using GraphDL.IR;
using GraphDL.Runtime;

var graph = Trace.Function("mlp", (x, w1, b1, w2, b2) =>
    {
        var hidden = F.Relu(x.MatMul(w1) + b1);      // broadcasting inserts broadcast_in_dim
        var logits = hidden.MatMul(w2) + b2;
        return F.LogSoftmax(logits, axis: 1);
    },
    TensorSpec.Input(DType.F32, 4, 784),
    TensorSpec.Param(DType.F32, 784, 128), TensorSpec.Param(DType.F32, 128),
    TensorSpec.Param(DType.F32, 128, 10), TensorSpec.Param(DType.F32, 10));

Console.WriteLine(graph);                            // the .gir text form, each node with its C# line

var inputs = RandomInputs.For(graph, seed: 0);       // x and the weights ~ N(0, 1)
var logProbabilities = ReferenceInterpreter.Run(graph, inputs)[0];
Console.WriteLine($"log-probabilities {logProbabilities.Type}:");
Console.WriteLine(logProbabilities);
