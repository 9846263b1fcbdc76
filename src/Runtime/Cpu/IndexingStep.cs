using System.Runtime.InteropServices;
using GraphDL.Codegen.Kernels;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// A <c>gather</c> (any dtype) or a float <c>scatter_add</c> run by <see cref="AxisIndexing"/> — the label picking and
/// one-hot gradients of cross-entropy, the flips of convolution gradients — bit-exact with the reference. An index
/// out of range is the reference's evaluation error: the node's reference evaluation runs and raises it.
/// </summary>
internal sealed record IndexingStep(Node Node) : IKernelStep
{
    /// <summary>A step for a gather, or a scatter_add over a float dtype; otherwise null.</summary>
    public static IndexingStep? TryCreate(Node node) =>
        node.Op.Name == "gather" || (node.Op.Name == "scatter_add" && node.Type.DType.IsFloat()) ? new IndexingStep(node) : null;

    public unsafe void Run(ProgramBuffers buffers)
    {
        var x = Node.Operands[0];
        var index = buffers.Read(Node.Operands[1]);
        int axis = (int)Node.Attributes.Int("axis");
        ReadOnlySpan<long> indices = index.DType == DType.I64 ? index.AsSpan<long>() : index.ToInt64Array();
        if (!AxisIndexing.InRange(indices, x.Type.Shape[axis]))
        {
            // The reference evaluation raises the error.
            var operands = Node.Operands.Select(buffers.Read).ToArray();
            buffers.Store(Node, Node.Op.Evaluate(new EvalContext(Node.Op, operands, Node.Attributes, Node.Type, Node.Loc)));
            return;
        }
        if (Node.Op.Name == "gather")
        {
            AxisIndexing.Gather((byte*)buffers.Address(x), x.Type.Shape.AsSpan(), indices, index.Shape.AsSpan(), axis,
                (byte*)buffers.Address(Node), Node.Type.DType.SizeInBytes());
            return;
        }
        var sums = buffers.Read(x).ToDoubleArray();
        fixed (double* ps = sums)
        {
            AxisIndexing.ScatterAdd(ps, x.Type.Shape.AsSpan(), indices, index.Shape.AsSpan(), axis, buffers.Read(Node.Operands[2]).ToDoubleArray());
        }
        buffers.Store(Node, HostTensor.FromDoubles(Node.Type.DType, Node.Type.Shape, sums));
    }
}
