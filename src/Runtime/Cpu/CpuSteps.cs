using System.Runtime.InteropServices;
using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.Kernels;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>One step of a <see cref="CpuProgram"/>: reads its operands' tensors and adds its result.</summary>
internal abstract class CpuStep
{
    /// <summary>The graph nodes this step computes, in order.</summary>
    public abstract IReadOnlyList<Node> Sources { get; }

    /// <summary>Binds generated kernels once the program's compilation is loaded.</summary>
    public virtual void Bind(CompiledProgram program)
    {
    }

    public abstract void Run(Dictionary<Value, HostTensor> values);

    protected static HostTensor Operand(Value value, Dictionary<Value, HostTensor> values) =>
        value is Literal l ? HostTensor.Full(l.Type, l.Scalar) : values[value];
}

/// <summary>A node run by its reference evaluation (no generated code for it yet).</summary>
internal sealed class ReferenceStep(Node node) : CpuStep
{
    public override IReadOnlyList<Node> Sources => [node];

    public override void Run(Dictionary<Value, HostTensor> values)
    {
        var operands = node.Operands.Select(o => Operand(o, values)).ToArray();
        values[node] = node.Op.Evaluate(new EvalContext(node.Op, operands, node.Attributes, node.Type, node.Loc));
    }

    public override string ToString() => $"reference {node.Op.Name} : {node.Type}";
}

/// <summary>A node run by a hand-written kernel (convolution, batched matmul).</summary>
internal sealed class KernelCallStep(IKernelStep call) : CpuStep
{
    public override IReadOnlyList<Node> Sources => [call.Node];

    public override void Run(Dictionary<Value, HostTensor> values) => call.Run(values);

    public override string ToString() => $"{call.Node.Op.Name} kernel : {call.Node.Type}";

    /// <summary>The hand-written kernel that runs <paramref name="node"/> (f32 conv2d, batched matmul, pooling, data movement, indexing, iota), if any.</summary>
    public static IKernelStep? For(Node node) => (IKernelStep?)ConvStep.TryCreate(node) ?? BatchedMatmulStep.TryCreate(node)
        ?? (IKernelStep?)ReduceWindowStep.TryCreate(node) ?? (IKernelStep?)MovementStep.TryCreate(node)
        ?? (IKernelStep?)IndexingStep.TryCreate(node) ?? IotaStep.TryCreate(node);
}

/// <summary>A generated loop kernel called through its function pointer.</summary>
internal sealed unsafe class GeneratedStep(LoweredKernel lowered) : CpuStep
{
    private delegate*<nint*, void> _entry;

    public override IReadOnlyList<Node> Sources => lowered.Kernel.Sources;

    public override void Bind(CompiledProgram program) => _entry = (delegate*<nint*, void>)program[lowered.Kernel.Name];

    public override void Run(Dictionary<Value, HostTensor> values) => Call(_entry, lowered, values);

    /// <summary>Pins the kernel's input tensors and fresh output storage, calls the kernel and records its outputs.</summary>
    internal static void Call(delegate*<nint*, void> entry, LoweredKernel lowered, Dictionary<Value, HostTensor> values)
    {
        var kernel = lowered.Kernel;
        var storages = new Array[kernel.Buffers.Count];
        for (int i = 0; i < lowered.Inputs.Count; i++)
        {
            storages[i] = values[lowered.Inputs[i]].Storage;
        }
        for (int o = 0; o < lowered.Outputs.Count; o++)
        {
            var node = lowered.Outputs[o];
            storages[lowered.Inputs.Count + o] = HostTensor.NewStorage(node.Type.DType, node.Type.ElementCount);
        }
        var handles = new GCHandle[storages.Length];
        var pointers = stackalloc nint[Math.Max(1, storages.Length)];
        try
        {
            for (int i = 0; i < storages.Length; i++)
            {
                handles[i] = GCHandle.Alloc(storages[i], GCHandleType.Pinned);
                pointers[i] = handles[i].AddrOfPinnedObject();
            }
            entry(pointers);
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
        for (int o = 0; o < lowered.Outputs.Count; o++)
        {
            var node = lowered.Outputs[o];
            values[node] = HostTensor.FromStorage(node.Type, storages[lowered.Inputs.Count + o]);
        }
    }

    public override string ToString() => $"kernel {lowered.Kernel.Name}: " + string.Join(", ", lowered.Kernel.Sources.Select(s => s.Op.Name));
}

/// <summary>
/// A rank-2 f32 matmul on the packed GEMM, reading transposed operands in place, then its epilogue kernel. A matmul
/// read only through a transpose is computed transposed instead: (AB)ᵀ = BᵀAᵀ, so the transpose costs nothing.
/// </summary>
internal sealed unsafe class GemmStep : CpuStep
{
    private readonly Node _node;
    private readonly Node _product;
    private readonly Value _a, _b;
    private readonly bool _transA, _transB;
    private readonly LoweredKernel? _epilogue;
    private delegate*<nint*, void> _epilogueEntry;

    /// <summary>Computes <paramref name="product"/>, or with <paramref name="transposed"/> the transpose node reading it.</summary>
    public GemmStep(Node product, LoweredKernel? epilogue, Node? transposed = null)
    {
        _product = product;
        _node = transposed ?? product;
        _epilogue = epilogue;
        Value a = product.Operands[0], b = product.Operands[1];
        bool transA = IsTranspose(a), transB = IsTranspose(b);
        (a, b) = (transA ? ((Node)a).Operands[0] : a, transB ? ((Node)b).Operands[0] : b);
        (_a, _transA, _b, _transB) = transposed is null ? (a, transA, b, transB) : (b, !transB, a, !transA);
    }

    /// <summary>Whether <paramref name="node"/> is a matmul the packed GEMM runs: rank-2 f32 operands.</summary>
    public static bool IsGemm(Node node) =>
        node.Op.Name == "matmul" && node.Type.DType == DType.F32 && node.Operands[0].Type.Rank == 2 && node.Operands[1].Type.Rank == 2;

    /// <summary>A rank-2 permute with perm [1, 0].</summary>
    public static bool IsTranspose(Value value) =>
        value is Node { Op.Name: "permute" } p && p.Type.Rank == 2 && p.Attributes.Ints("perm") is [1, 0];

    /// <summary>Transposes read in place by every consumer (GEMM and batched GEMM steps), so they need not be computed.</summary>
    public static HashSet<Node> AbsorbedTransposes(Graph graph, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs) =>
        graph.Nodes.Where(n => (IsTranspose(n) || BatchedMatmulStep.IsLastAxesSwap(n)) && !outputs.Contains(n) && consumers[n].Count > 0
                && consumers[n].All(c => IsGemm(c) || BatchedMatmulStep.TryCreate(c) is not null))
            .ToHashSet<Node>(ReferenceEqualityComparer.Instance);

    public override IReadOnlyList<Node> Sources => _epilogue is not null ? [_node, .. _epilogue.Kernel.Sources]
        : _node == _product ? [_node] : [_product, _node];

    public override void Bind(CompiledProgram program)
    {
        if (_epilogue is not null)
        {
            _epilogueEntry = (delegate*<nint*, void>)program[_epilogue.Kernel.Name];
        }
    }

    public override void Run(Dictionary<Value, HostTensor> values)
    {
        int m = _node.Type.Shape[0], n = _node.Type.Shape[1], k = _product.Operands[0].Type.Shape[1];
        var a = (float[])values[_a].Storage;
        var b = (float[])values[_b].Storage;
        var c = (float[])HostTensor.NewStorage(DType.F32, (long)m * n);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Gemm.Sgemm(m, n, k,
                pa, Math.Max(1, _transA ? m : k), _transA,
                pb, Math.Max(1, _transB ? k : n), _transB,
                pc, Math.Max(1, n), accumulate: false, threads: Environment.ProcessorCount);
        }
        values[_node] = HostTensor.FromStorage(_node.Type, c);
        if (_epilogue is not null)
        {
            GeneratedStep.Call(_epilogueEntry, _epilogue, values);
        }
    }

    public override string ToString() => "gemm" + (_node != _product ? " (transposed)" : "") + (_epilogue is null ? "" : $" + kernel {_epilogue.Kernel.Name}: "
        + string.Join(", ", _epilogue.Kernel.Sources.Select(s => s.Op.Name)));
}
