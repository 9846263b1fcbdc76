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

    public unsafe void Run(Dictionary<Value, HostTensor> values)
    {
        var x = KernelOperands.Read(values, Node.Operands[0]).Storage;
        var y = KernelOperands.Output(values, Node);
        if (x is float[] xf)
        {
            fixed (float* px = xf, py = (float[])y)
            {
                WindowReduction.Reduce(Geometry, px, py);
            }
        }
        else
        {
            fixed (double* px = (double[])x, py = (double[])y)
            {
                WindowReduction.Reduce(Geometry, px, py);
            }
        }
        values[Node] = HostTensor.FromStorage(Node.Type, y);
    }
}
