using System.Collections.Concurrent;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.Passes.Fusion;

namespace GraphDL.Codegen.Programs;

/// <summary>
/// What the CPU backend generates code for, told to the fusion planner: loop kernels (elementwise chains,
/// broadcasts, reshapes and row reductions) that <see cref="KernelLowering.TryLower"/> accepts, rank-2 f32
/// matmuls on the packed GEMM with an elementwise epilogue, and the nodes a <see cref="LibraryStep"/> runs.
/// </summary>
public static class CpuCapabilities
{
    public static FusionCapabilities For(bool gemm)
    {
        // Per node, as the planner asks about each node several times (its own role, then as each producer's consumer).
        var known = new ConcurrentDictionary<Node, bool>(ReferenceEqualityComparer.Instance);
        // Lowering a node alone is most of the planner's time, and a training step repeats the same few nodes
        // (Adam's update per parameter, each elementwise op of the backward pass), so the answer is kept per
        // body signature (nodes alike but for names and source lines lower alike).
        var bySignature = new ConcurrentDictionary<string, bool>();
        bool LowersAlone(Node node) =>
            bySignature.GetOrAdd(KernelBody.Signature([node], node, []), signature => TryLower(KernelBody.Build("probe", [node], node), node, out _, out _));
        bool CanGenerate(Node node) => known.GetOrAdd(node, n => (gemm && (ProgramLowering.IsGemm(n) || LibraryStep.For(n) is not null)) || LowersAlone(n));
        return new FusionCapabilities(CanGenerate, body => Check(body, gemm));
    }

    /// <summary>Lowers a kernel body, binding its read buffers to the values outside the body and its result to <paramref name="root"/>.</summary>
    public static bool TryLower(KernelBody body, Node root, out LoweredKernel? bound, out string? reason)
    {
        bound = null;
        if (!KernelLowering.TryLower(body.Body.Name, body.Body, out var kernel, out reason))
        {
            return false;
        }
        var arguments = kernel.Inputs.Select(input => body.Arguments[IndexOf(body.Body.Inputs, input)]).ToArray();
        bound = new LoweredKernel(kernel.Kernel, arguments, [root]);
        return true;
    }

    private static int IndexOf(IReadOnlyList<GraphInput> inputs, Value input)
    {
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] == input)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"kernel buffer bound to {input}, which is not an input of the body");
    }

    private static KernelRejection? Check(Graph body, bool gemm)
    {
        var contractions = body.Nodes.Where(n => n.Op.Has(OpTraits.Contraction)).ToArray();
        if (contractions.Length == 0)
        {
            return KernelLowering.TryLower(body.Name, body, out _, out var reason) ? null : new KernelRejection(reason);
        }
        if (contractions.Length > 1 || !gemm || !ProgramLowering.IsGemm(contractions[0]))
        {
            return new KernelRejection("an epilogue follows exactly one rank-2 f32 matmul");
        }
        var product = contractions[0];
        var epilogue = body.Nodes.Where(n => n != product).ToArray();
        if (epilogue.Any(n => n.Op.Has(OpTraits.Reduction)))
        {
            return new KernelRejection("a matmul epilogue is elementwise");
        }
        // The epilogue rewrites the f32 product in place (see GemmStep): a wider or larger result would overwrite products
        // it has not read yet (a cast to f64 gave zeros and stale values, a broadcast of the product to [3,17,3,1]
        // clobbered its second row; both found by the fast-mode random-graph test).
        if (body.Nodes[^1].Type.DType != DType.F32)
        {
            return new KernelRejection("a matmul epilogue's result is f32, as it overwrites the product in place");
        }
        if (body.Nodes[^1].Type.Shape != product.Type.Shape)
        {
            return new KernelRejection("a matmul epilogue's result has the product's shape, as it overwrites the product in place");
        }
        var epilogueBody = KernelBody.Build(body.Name, epilogue, body.Nodes[^1]).Body;
        return KernelLowering.TryLower(body.Name, epilogueBody, out _, out var why) ? null : new KernelRejection(why);
    }
}
