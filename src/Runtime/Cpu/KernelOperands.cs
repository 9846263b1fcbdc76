using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>How kernel steps read an operand: a computed value, or a literal materialized at its type.</summary>
internal static class KernelOperands
{
    public static HostTensor Read(Dictionary<Value, HostTensor> values, Value operand) =>
        operand is Literal literal ? HostTensor.Full(literal.Type, literal.Scalar) : values[operand];
}
