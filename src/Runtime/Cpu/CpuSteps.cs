using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.Kernels;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>One step of a <see cref="CpuProgram"/>: reads its operands' buffers and writes its result into its output's buffer.</summary>
internal abstract class CpuStep
{
    /// <summary>The graph nodes this step computes, in order.</summary>
    public abstract IReadOnlyList<Node> Sources { get; }

    /// <summary>Binds generated kernels once the program's compilation is loaded.</summary>
    public virtual void Bind(CompiledProgram program)
    {
    }

    /// <summary>The node whose value the step leaves in its buffer.</summary>
    public abstract Node Output { get; }

    public abstract void Run(ProgramBuffers buffers);

    /// <summary>The values whose buffers the step reads: what its nodes take from outside the step (for the memory plan).</summary>
    public virtual IEnumerable<Value> Reads
    {
        get
        {
            var inside = Sources.ToHashSet<Node>(ReferenceEqualityComparer.Instance);
            return Sources.SelectMany(n => n.Operands).Where(o => o is not Literal && !(o is Node n && inside.Contains(n)));
        }
    }
}

/// <summary>A node run by its reference evaluation (no generated code for it yet).</summary>
internal sealed class ReferenceStep(Node node) : CpuStep
{
    public override IReadOnlyList<Node> Sources => [node];

    public override Node Output => node;

    public override void Run(ProgramBuffers buffers)
    {
        var operands = node.Operands.Select(buffers.Read).ToArray();
        buffers.Store(node, node.Op.Evaluate(new EvalContext(node.Op, operands, node.Attributes, node.Type, node.Loc)));
    }

    public override string ToString() => $"reference {node.Op.Name} : {node.Type}";
}

/// <summary>A node run by a hand-written kernel (convolution, batched matmul, pooling, data movement, indexing).</summary>
internal sealed class KernelCallStep(IKernelStep call) : CpuStep
{
    public override IReadOnlyList<Node> Sources => [call.Node];

    public override Node Output => call.Node;

    public override void Run(ProgramBuffers buffers) => call.Run(buffers);

    public override IEnumerable<Value> Reads => call.Reads;

    public override string ToString() => $"{call.Node.Op.Name} kernel : {call.Node.Type}";

    /// <summary>The hand-written kernel that runs <paramref name="node"/> (f32 conv2d, batched matmul, pooling, data movement, indexing, iota), if any.</summary>
    public static IKernelStep? For(Node node) => (IKernelStep?)ConvStep.TryCreate(node) ?? BatchedMatmulStep.TryCreate(node)
        ?? (IKernelStep?)ReduceWindowStep.TryCreate(node) ?? (IKernelStep?)MovementStep.TryCreate(node)
        ?? (IKernelStep?)IndexingStep.TryCreate(node) ?? IotaStep.TryCreate(node);
}

/// <summary>
/// A reshape that is not a graph output: it shares its operand's buffer (row-major order is unchanged), so it copies
/// nothing and has no buffer of its own.
/// </summary>
internal sealed class AliasStep(Node node) : CpuStep
{
    /// <summary>Whether <paramref name="node"/>, not a graph output, can share its operand's buffer.</summary>
    public static bool Applies(Node node) => node.Op.Name == "reshape" && node.Operands[0] is not Literal;

    public override IReadOnlyList<Node> Sources => [node];

    public override Node Output => node;

    public override void Run(ProgramBuffers buffers) => buffers.Alias(node, node.Operands[0]);

    public override string ToString() => $"reshape (shares its operand's buffer) : {node.Type}";
}

/// <summary>A generated loop kernel called through its function pointer.</summary>
internal sealed unsafe class GeneratedStep(LoweredKernel lowered) : CpuStep
{
    private delegate*<nint*, void> _entry;

    /// <summary>The kernel and the values whose buffers it takes: its inputs, then its output.</summary>
    public LoweredKernel Lowered => lowered;

    public override IReadOnlyList<Node> Sources => lowered.Kernel.Sources;

    public override Node Output => lowered.Outputs[0];

    public override void Bind(CompiledProgram program) => _entry = (delegate*<nint*, void>)program[lowered.Kernel.Name];

    public override IEnumerable<Value> Reads => lowered.Inputs;

    public override void Run(ProgramBuffers buffers) => Call(_entry, lowered, buffers, null, 0);

    /// <summary>
    /// Calls a kernel with its buffers' addresses: each input's, then the output's. With <paramref name="replaced"/>
    /// set, that value's buffer is <paramref name="replacement"/> instead (a GEMM epilogue reading the product in C).
    /// </summary>
    internal static void Call(delegate*<nint*, void> entry, LoweredKernel lowered, ProgramBuffers buffers, Value? replaced, nint replacement)
    {
        var pointers = stackalloc nint[lowered.Inputs.Count + 1];
        Fill(pointers, lowered, buffers, replaced, replacement);
        entry(pointers);
    }

    internal static void Fill(nint* pointers, LoweredKernel lowered, ProgramBuffers buffers, Value? replaced, nint replacement)
    {
        for (int i = 0; i < lowered.Inputs.Count; i++)
        {
            pointers[i] = lowered.Inputs[i] == replaced ? replacement : buffers.Address(lowered.Inputs[i]);
        }
        pointers[lowered.Inputs.Count] = buffers.Address(lowered.Outputs[0]);
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

    /// <summary>Whether the epilogue runs on each finished C tile, in place, through its generated tile entry.</summary>
    public bool Tiled => _epilogue is not null && CSharpKernelRenderer.SupportsTile(_epilogue.Kernel);

    public override void Bind(CompiledProgram program)
    {
        if (_epilogue is not null)
        {
            _epilogueEntry = (delegate*<nint*, void>)program[_epilogue.Kernel.Name];
            if (Tiled)
            {
                _tileEntry = (delegate*<nint*, long, long, long, long, void>)program.Entry(_epilogue.Kernel.Name + "_tile");
            }
        }
    }

    private delegate*<nint*, long, long, long, long, void> _tileEntry;

    public override Node Output => _epilogue?.Outputs[0] ?? _node;

    /// <summary>A and B (a transposed operand read in place), and the epilogue's inputs but the product, which it reads from C.</summary>
    public override IEnumerable<Value> Reads => _epilogue is null ? [_a, _b] : [_a, _b, .. _epilogue.Inputs.Where(i => i != _product)];

    public override void Run(ProgramBuffers buffers)
    {
        var c = buffers.Address(Output);
        if (_tileEntry is null)
        {
            if (_epilogue is null)
            {
                Multiply(buffers, c, default);
                return;
            }
            // The product goes to the epilogue's output buffer, which the epilogue then rewrites in place.
            Multiply(buffers, c, default);
            GeneratedStep.Call(_epilogueEntry, _epilogue, buffers, _product, c);
            return;
        }
        // The epilogue reads the product from C and writes its result over it, tile by tile, while it is in cache.
        var pointers = stackalloc nint[_epilogue!.Inputs.Count + 1];
        GeneratedStep.Fill(pointers, _epilogue, buffers, _product, c);
        Multiply(buffers, c, new GemmEpilogue(_tileEntry, pointers));
    }

    private void Multiply(ProgramBuffers buffers, nint c, GemmEpilogue epilogue)
    {
        int m = _node.Type.Shape[0], n = _node.Type.Shape[1], k = _product.Operands[0].Type.Shape[1];
        Gemm.Sgemm(m, n, k,
            (float*)buffers.Address(_a), Math.Max(1, _transA ? m : k), _transA,
            (float*)buffers.Address(_b), Math.Max(1, _transB ? k : n), _transB,
            (float*)c, Math.Max(1, n), accumulate: false, threads: Environment.ProcessorCount, epilogue);
    }

    public override string ToString() => "gemm" + (_node != _product ? " (transposed)" : "") + (_epilogue is null ? "" : $" + {(Tiled ? "tiled epilogue" : "kernel")} {_epilogue.Kernel.Name}: "
        + string.Join(", ", _epilogue.Kernel.Sources.Select(s => s.Op.Name)));
}
