using GraphDL.Codegen.Kernels;
using GraphDL.IR;

namespace GraphDL.Codegen.Programs;

/// <summary>An f32 <c>conv2d</c>, run by <see cref="Conv2dKernel"/> (im2col + packed GEMM) on every core.</summary>
public sealed record Conv2dStep(Node Node, Conv2dGeometry Geometry) : LibraryStep(Node)
{
    /// <summary>A step for <paramref name="node"/> when it is an f32 conv2d; otherwise null.</summary>
    public static Conv2dStep? TryCreate(Node node)
    {
        if (node.Op.Name != "conv2d" || node.Type.DType != DType.F32)
        {
            return null;
        }
        var (x, w) = (node.Operands[0].Type.Shape, node.Operands[1].Type.Shape);
        var stride = node.Attributes.Ints("stride");
        var padding = node.Attributes.Ints("padding");
        var dilation = node.Attributes.Ints("dilation");
        var geometry = new Conv2dGeometry(x[0], x[1], x[2], x[3], w[0], w[2], w[3], stride[0], stride[1],
            padding[0], padding[1], padding[2], padding[3], dilation[0], dilation[1], (int)node.Attributes.Int("groups"));
        return new Conv2dStep(node, geometry);
    }
}

/// <summary>An f32 or f64 <c>reduce_window</c> (max or average pooling), run by <see cref="WindowReduction"/>, bit-exact.</summary>
public sealed record WindowReductionStep(Node Node, PoolingWindows Geometry) : LibraryStep(Node)
{
    /// <summary>A step for <paramref name="node"/> when it is a reduce_window over f32 or f64 of rank ≥ 1; otherwise null.</summary>
    public static WindowReductionStep? TryCreate(Node node)
    {
        if (node.Op.Name != "reduce_window" || node.Type.DType is not (DType.F32 or DType.F64) || node.Type.Rank == 0)
        {
            return null;
        }
        int rank = node.Type.Rank;
        var stride = node.Attributes.Ints("stride");
        var padding = node.Attributes.Ints("padding");
        var geometry = new PoolingWindows(
            node.Operands[0].Type.Shape.ToArray(),
            node.Type.Shape.ToArray(),
            node.Attributes.Ints("window").ToArray(),
            stride.Count == 0 ? Enumerable.Repeat(1, rank).ToArray() : stride.ToArray(),
            padding.Count == 0 ? new int[rank] : Enumerable.Range(0, rank).Select(d => padding[2 * d]).ToArray(),
            node.Attributes.String("mode") == "max");
        return new WindowReductionStep(node, geometry);
    }
}

/// <summary>
/// A <c>gather</c> (any dtype) or a float <c>scatter_add</c>, run by <see cref="AxisIndexing"/> — the label picking and
/// one-hot gradients of cross-entropy, the flips of convolution gradients — bit-exact with the reference. An index
/// out of range is the reference's evaluation error.
/// </summary>
public sealed record IndexingStep(Node Node) : LibraryStep(Node)
{
    /// <summary>A step for a gather, or a scatter_add over a float dtype; otherwise null.</summary>
    public static IndexingStep? TryCreate(Node node) =>
        node.Op.Name == "gather" || (node.Op.Name == "scatter_add" && node.Type.DType.IsFloat()) ? new IndexingStep(node) : null;
}

/// <summary>
/// An <c>iota</c> filled by one pass over its positions (each one's coordinate along the axis is its flat index
/// divided by the axis stride, modulo the axis size) rather than unravelling every index.
/// </summary>
public sealed record IotaStep(Node Node) : LibraryStep(Node)
{
    public static IotaStep? TryCreate(Node node) => node.Op.Name == "iota" ? new IotaStep(node) : null;
}

/// <summary>
/// A data-movement node — permute, slice, pad or concat — as strided copies (<see cref="StridedCopy"/>), or a reshape
/// copying its operand's bytes. Each operand is one <see cref="Copy"/>: its elements, addressed row-major in the
/// operand, go to a strided region of the result (pad and concat), or a strided region of the operand goes to the
/// result row-major (permute and slice). Bits move unchanged, so the result equals the reference's for every dtype.
/// </summary>
public sealed record MovementStep(Node Node) : LibraryStep(Node)
{
    /// <summary>A step for <paramref name="node"/> when it is a movement op this step handles; otherwise null.</summary>
    public static MovementStep? TryCreate(Node node) =>
        node.Op.Name is "permute" or "slice" or "pad" or "concat" or "reshape" ? new MovementStep(node) : null;

    /// <summary>One strided copy: the elements of <see cref="Shape"/>, each read and written at its own element offset.</summary>
    public sealed record Copy(int[] Shape, long SrcOffset, long[] SrcStrides, long DstOffset, long[] DstStrides);

    /// <summary>The copy that moves operand <paramref name="k"/> into the result (not for a reshape, which moves bytes as they are).</summary>
    public Copy CopyOf(int k)
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
