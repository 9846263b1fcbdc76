using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>How kernel steps read an operand: a computed value, or a literal materialized at its type.</summary>
internal static class KernelOperands
{
    public static HostTensor Read(Dictionary<Value, HostTensor> values, Value operand) =>
        operand is Literal literal ? HostTensor.Full(literal.Type, literal.Scalar) : values[operand];

    /// <summary>The storage a step writes <paramref name="node"/> into: the program's buffer when it has one, else fresh storage.</summary>
    public static Array Output(Dictionary<Value, HostTensor> values, Node node) =>
        values.TryGetValue(node, out var buffer) ? buffer.Storage : HostTensor.NewStorage(node.Type.DType, node.Type.ElementCount);
}
