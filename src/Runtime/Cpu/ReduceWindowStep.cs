using GraphDL.Codegen.Kernels;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>An f32 or f64 <c>reduce_window</c> (max or average pooling) run by <see cref="WindowReduction"/>, bit-exact.</summary>
internal sealed record ReduceWindowStep(Node Node, PoolingWindows Geometry) : IKernelStep
{
    /// <summary>A step for <paramref name="node"/> when it is a reduce_window over f32 or f64 of rank ≥ 1; otherwise null.</summary>
    public static ReduceWindowStep? TryCreate(Node node)
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
        return new ReduceWindowStep(node, geometry);
    }

    public unsafe void Run(ProgramBuffers buffers)
    {
        nint x = buffers.Address(Node.Operands[0]), y = buffers.Address(Node);
        if (Node.Type.DType == DType.F32)
        {
            WindowReduction.Reduce(Geometry, (float*)x, (float*)y);
        }
        else
        {
            WindowReduction.Reduce(Geometry, (double*)x, (double*)y);
        }
    }
}
