using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.Passes.Fusion;

namespace GraphDL.Runtime;

/// <summary>What the CPU backend generates code for, told to the fusion planner.</summary>
internal static class CpuCapabilities
{
    public static FusionCapabilities For(bool gemm) => new(
        node => KernelLowering.IsSupported(node) || (gemm && GemmStep.IsGemm(node)),
        body => Check(body, gemm));

    private static KernelRejection? Check(Graph body, bool gemm)
    {
        // Generated loops read a broadcast's operand from memory with zero strides.
        var computedBroadcastOperands = body.Nodes.Where(n => n.Op.Name == "broadcast_in_dim" && n.Operands[0] is Node)
            .Select(n => (Node)n.Operands[0]).ToArray();
        if (computedBroadcastOperands.Length > 0)
        {
            return new KernelRejection("a broadcast reads its operand from memory", computedBroadcastOperands);
        }
        var contractions = body.Nodes.Where(n => n.Op.Has(OpTraits.Contraction)).ToArray();
        if (contractions.Length > 0)
        {
            if (contractions.Length > 1 || !gemm || !GemmStep.IsGemm(contractions[0]))
            {
                return "an epilogue follows exactly one rank-2 f32 matmul";
            }
            var product = contractions[0];
            if (product.Operands.Any(o => o is not GraphInput))
            {
                return "a matmul kernel reads its operands from memory";
            }
            var epilogue = body.Nodes.Where(n => n != product).ToArray();
            return epilogue.All(n => KernelLowering.IsSupported(n) && (n.Op.Name == "broadcast_in_dim" || n.Type.Shape == product.Type.Shape))
                ? null
                : new KernelRejection("a matmul epilogue is elementwise over the product's shape");
        }
        return body.Nodes.All(KernelLowering.IsSupported) ? null : new KernelRejection("only elementwise kernels are generated");
    }
}
