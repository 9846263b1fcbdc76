using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// An <c>iota</c> filled by one pass over its positions (each one's coordinate along the axis is its flat index
/// divided by the axis stride, modulo the axis size) rather than unravelling every index; converted to the dtype
/// as the reference converts it.
/// </summary>
internal sealed record IotaStep(Node Node) : IKernelStep
{
    public static IotaStep? TryCreate(Node node) => node.Op.Name == "iota" ? new IotaStep(node) : null;

    public void Run(ProgramBuffers buffers)
    {
        var shape = Node.Type.Shape;
        int axis = (int)Node.Attributes.Int("axis");
        long stride = shape.Strides()[axis];
        var positions = new long[shape.ElementCount];
        for (long i = 0; i < positions.LongLength; i++)
        {
            positions[i] = i / stride % shape[axis];
        }
        buffers.Store(Node, HostTensor.FromInt64s(Node.Type.DType, shape, positions));
    }
}
