using System.Runtime.InteropServices;
using GraphDL.Codegen.Kernels;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// A data-movement node — permute, slice, pad or concat — run as strided copies (<see cref="StridedCopy"/>), or a
/// reshape copying its operand's bytes, instead of its reference evaluation's per-element index arithmetic. Each operand is
/// one copy: its elements, addressed row-major in the operand, go to a strided region of the result (pad and
/// concat), or a strided region of the operand goes to the result row-major (permute and slice). Bits are moved
/// unchanged, so the result equals the reference's exactly for every dtype.
/// </summary>
internal sealed record MovementStep(Node Node) : IKernelStep
{
    /// <summary>A step for <paramref name="node"/> when it is a movement op this step handles; otherwise null.</summary>
    public static MovementStep? TryCreate(Node node) =>
        node.Op.Name is "permute" or "slice" or "pad" or "concat" or "reshape" ? new MovementStep(node) : null;

    public unsafe void Run(ProgramBuffers buffers)
    {
        var type = Node.Type;
        int size = type.DType.SizeInBytes();
        byte* dst = (byte*)buffers.Address(Node);
        if (Node.Op.Name == "reshape")
        {
            // Row-major order is unchanged: the bytes move as they are (a reshape that is not a graph output shares
            // its operand's buffer instead, see AliasStep).
            Buffer.MemoryCopy((void*)buffers.Address(Node.Operands[0]), dst, type.SizeInBytes, type.SizeInBytes);
            return;
        }
        if (Node.Op.Name == "pad")
        {
            // The fill value, converted as the reference converts it, repeated by a stride-0 read.
            var fill = HostTensor.Full(new TensorType(type.DType, Shape.Scalar), Node.Attributes.Scalar("value")).Storage;
            fixed (byte* value = &MemoryMarshal.GetArrayDataReference(fill))
            {
                StridedCopy.Copy(value, 0, [0], dst, 0, [1], [checked((int)type.ElementCount)], size);
            }
        }
        for (int k = 0; k < Node.Operands.Count; k++)
        {
            var copy = CopyOf(k);
            StridedCopy.Copy((byte*)buffers.Address(Node.Operands[k]), copy.SrcOffset, copy.SrcStrides, dst, copy.DstOffset, copy.DstStrides, copy.Shape, size);
        }
    }

    /// <summary>One strided copy: the elements of <see cref="Shape"/>, each read and written at its own address.</summary>
    private sealed record Copy(int[] Shape, long SrcOffset, long[] SrcStrides, long DstOffset, long[] DstStrides);

    /// <summary>The copy that moves operand <paramref name="k"/> into the result.</summary>
    private Copy CopyOf(int k)
    {
        var input = Node.Operands[k].Type.Shape;
        var output = Node.Type.Shape;
        long[] inStrides = input.Strides(), outStrides = output.Strides();
        int rank = output.Rank;
        switch (Node.Op.Name)
        {
            case "permute":
            {
                var perm = Node.Attributes.Ints("perm");
                return new Copy(output.ToArray(), 0, Enumerable.Range(0, rank).Select(d => inStrides[perm[d]]).ToArray(), 0, outStrides);
            }
            case "slice":
            {
                var start = Node.Attributes.Ints("start");
                var step = Node.Attributes.Ints("step");
                long offset = Enumerable.Range(0, rank).Sum(d => start[d] * inStrides[d]);
                return new Copy(output.ToArray(), offset, Enumerable.Range(0, rank).Select(d => inStrides[d] * step[d]).ToArray(), 0, outStrides);
            }
            case "pad":
            {
                var lo = Node.Attributes.Ints("lo");
                long offset = Enumerable.Range(0, rank).Sum(d => lo[d] * outStrides[d]);
                return new Copy(input.ToArray(), 0, inStrides, offset, outStrides);
            }
            case "concat":
            {
                int axis = (int)Node.Attributes.Int("axis");
                long before = Enumerable.Range(0, k).Sum(j => (long)Node.Operands[j].Type.Shape[axis]);
                return new Copy(input.ToArray(), 0, inStrides, before * outStrides[axis], outStrides);
            }
            default:
                throw new InvalidOperationException($"{Node.Op.Name} is not a strided copy");
        }
    }
}
