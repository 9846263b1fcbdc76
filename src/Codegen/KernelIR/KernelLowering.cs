using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Codegen.KernelIR;

/// <summary>A kernel with the graph values bound to its buffers: inputs to read buffers, nodes to written ones.</summary>
public sealed record LoweredKernel(Kernel Kernel, IReadOnlyList<Value> Inputs, IReadOnlyList<Node> Outputs);

/// <summary>
/// Lowers a kernel body (see <see cref="TryLower"/>) to a <see cref="Kernel"/>: the body's inputs become read
/// buffers (a broadcast_in_dim reads its operand with zero strides instead of materializing) and its result the
/// written buffer.
/// </summary>
public static partial class KernelLowering
{
    /// <summary>The dtypes and ops the C# renderer handles; other nodes run as their own (fallback) steps.</summary>
    public static bool IsSupported(Node node)
    {
        static bool Ok(DType d) => d is DType.F32 or DType.F64 or DType.Bool or DType.I32 or DType.I64;
        if (!Ok(node.Type.DType) || node.Operands.Any(o => !Ok(o.Type.DType)))
        {
            return false;
        }
        var to = node.Type.DType;
        if (node.Op is Cast)
        {
            // Bool to float is exact (false → 0, true → 1), so it fuses with the comparisons that make masks. Integers
            // convert among integers and bools only: float kernels stay free of integers, which would keep them scalar.
            var from = node.Operands[0].Type.DType;
            return to.IsFloat() ? from.IsFloat() || from == DType.Bool : !from.IsFloat();
        }
        if (node.Op.Has(OpTraits.Broadcast))
        {
            return true;
        }
        if (to.IsInteger() || node.Operands.Any(o => o.Type.DType.IsInteger()))
        {
            // On integers only where the op has exact scalar code for them (a renderer types an op by its last operand).
            return node.Op.Has(OpTraits.Elementwise) && node.Operands.Count > 0
                && node.Op.CSharp.Find(SnippetForm.Scalar, node.Operands[^1].Type.DType, to) is not null;
        }
        return node.Op.Has(OpTraits.Elementwise);
    }

    /// <summary>Strides over the broadcast result's axes for reading the operand: 0 on new and expanded axes.</summary>
    private static long[] BroadcastStrides(Node node)
    {
        var operand = node.Operands[0].Type.Shape;
        var operandStrides = operand.Strides();
        var dims = node.Attributes.Ints("dims");
        var strides = new long[node.Type.Rank];
        for (int i = 0; i < dims.Count; i++)
        {
            strides[dims[i]] = operand[i] == 1 ? 0 : operandStrides[i];
        }
        return strides;
    }
}
