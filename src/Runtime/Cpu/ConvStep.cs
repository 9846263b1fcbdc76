using GraphDL.Codegen.Kernels;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>An f32 <c>conv2d</c> node run by <see cref="Conv2dKernel"/> (im2col + packed GEMM) on every core.</summary>
internal sealed record ConvStep(Node Node, Conv2dGeometry Geometry) : IKernelStep
{
    /// <summary>A step for <paramref name="node"/> when it is an f32 conv2d; otherwise null.</summary>
    public static ConvStep? TryCreate(Node node)
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
        return new ConvStep(node, geometry);
    }

    public unsafe void Run(ProgramBuffers buffers) => Conv2dKernel.Sconv2d(Geometry,
        (float*)buffers.Address(Node.Operands[0]), (float*)buffers.Address(Node.Operands[1]), (float*)buffers.Address(Node), Environment.ProcessorCount);
}
