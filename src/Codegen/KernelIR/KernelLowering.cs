using GraphDL.IR;
using GraphDL.Passes.Fusion;

namespace GraphDL.Codegen.KernelIR;

/// <summary>A kernel with the graph values bound to its buffers: inputs to read buffers, nodes to written ones.</summary>
public sealed record LoweredKernel(Kernel Kernel, IReadOnlyList<Value> Inputs, IReadOnlyList<Node> Outputs);

/// <summary>
/// Lowers an elementwise node group (or, with <see cref="TryLower"/>, an isolated fused body) to a <see cref="Kernel"/>. Values from outside the group become read buffers
/// (a broadcast_in_dim inside the group reads its operand with zero strides instead of materializing); group
/// nodes needed outside it (by later kernels or as graph outputs) become written buffers.
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
        if (node.Op.Name == "cast")
        {
            // Bool to float is exact (false → 0, true → 1), so it fuses with the comparisons that make masks. Integers
            // convert among integers and bools only: float kernels stay free of integers, which would keep them scalar.
            var from = node.Operands[0].Type.DType;
            return to.IsFloat() ? from.IsFloat() || from == DType.Bool : !from.IsFloat();
        }
        if (to.IsInteger() || node.Operands.Any(o => o.Type.DType.IsInteger()))
        {
            return IntegerOps.Contains(node.Op.Name) || node.Op.Has(OpTraits.Comparison);
        }
        return node.Op.Has(OpTraits.Elementwise) || node.Op.Name == "broadcast_in_dim";
    }

    /// <summary>Integer ops rendered through their own wrapping <c>ApplyInteger</c> (index arithmetic, RNG offsets).</summary>
    private static readonly HashSet<string> IntegerOps = ["add", "sub", "mul", "neg", "abs", "max", "min", "sign", "where", "stop_gradient", "broadcast_in_dim"];

    public static LoweredKernel Lower(string name, NodeGroup group, Func<Node, bool> neededOutside)
    {
        var space = group.IterationShape ?? throw new ArgumentException("only elementwise groups lower to loop kernels", nameof(group));
        var identity = KernelBuffer.RowMajor(space);
        var buffers = new List<KernelBuffer>();
        var inputs = new List<Value>();
        var values = new List<KernelValue>();
        var index = new Dictionary<Value, int>(ReferenceEqualityComparer.Instance);
        var loads = new Dictionary<(Value, string), int>();
        var members = group.Nodes.ToHashSet<Node>(ReferenceEqualityComparer.Instance);

        int Load(Value source, long[] strides)
        {
            var key = (source, string.Join(",", strides));
            if (!loads.TryGetValue(key, out int at))
            {
                buffers.Add(new KernelBuffer(buffers.Count, source.Type, BufferAccess.Read, strides));
                inputs.Add(source);
                values.Add(new KernelLoad(buffers.Count - 1, source.Type.DType));
                at = values.Count - 1;
                loads[key] = at;
            }
            return at;
        }

        int Operand(Value operand)
        {
            if (operand is Literal literal)
            {
                values.Add(new KernelConstant(literal.Scalar));
                return values.Count - 1;
            }
            return operand is Node n && members.Contains(n) ? index[n] : Load(operand, identity);
        }

        foreach (var node in group.Nodes)
        {
            if (node.Op.Name == "broadcast_in_dim")
            {
                index[node] = Load(node.Operands[0], BroadcastStrides(node));
                continue;
            }
            var args = node.Operands.Select(Operand).ToArray();
            values.Add(new KernelApply(node.Op, args, node.Attributes, node.Type.DType));
            index[node] = values.Count - 1;
        }

        var outputs = new List<Node>();
        var stores = new List<KernelStore>();
        foreach (var node in group.Nodes.Where(neededOutside))
        {
            buffers.Add(new KernelBuffer(buffers.Count, node.Type, BufferAccess.Write, identity));
            stores.Add(new KernelStore(buffers.Count - 1, index[node]));
            outputs.Add(node);
        }
        return new LoweredKernel(new Kernel(name, space, buffers, values, stores, group.Nodes), inputs, outputs);
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
