using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// A step of a <see cref="CpuProgram"/> that runs one node by a hand-written kernel (convolution, batched matmul)
/// rather than generated code or the node's reference evaluation.
/// </summary>
internal interface IKernelStep
{
    /// <summary>The node whose value the step computes.</summary>
    Node Node { get; }

    /// <summary>The values whose buffers the step reads: the node's operands, unless the kernel reads through one (a transposed GEMM operand).</summary>
    IEnumerable<Value> Reads => Node.Operands.Where(o => o is not Literal);

    /// <summary>Reads the node's operands at their buffers' addresses and writes its value into the node's buffer.</summary>
    void Run(ProgramBuffers buffers);
}
